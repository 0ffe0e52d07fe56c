"""Article data of the bundled demo site (fictional news in the style of an English-language
Korean wire service; every person, company and event here is invented).

The front page is dated Saturday, February 21, 2026 (KST). Article ids by section:

* politics: 1001, 1008, 1015, 1022, 1029
* business: 1002, 1009, 1016, 1023, 1030
* society:  1003, 1010, 1017, 1024, 1031
* culture:  1004, 1011, 1018, 1025, 1032
* sports:   1005, 1012, 1019, 1026, 1033
* world:    1006, 1013, 1020, 1027, 1034
* etc:      1007, 1014, 1021, 1028

Deliberate edge cases (tests rely on these ids; keep ``newsspider/demo_site/README.md`` in step):

* 1021 -- no tags at all (no "Check Out Other Tags:" block).
* 1001, 1007, 1016 -- updated after publication ("Updated :" line + JSON-LD dateModified).
* 1004 -- non-ASCII: Hangul names ("Kim Min-ji (김민지)"), curly quotes “ ” ‘ ’, an em dash
  and an emoji, in headline, byline, body and caption.
* 1014 -- headline starts with "=" ("=SUM of all fears: …"); 1009 -- headline starts with
  "+" ("+30% exports …"). Both are front-page slots (Latest News and their section block).
* 1017 -- paywalled: one teaser paragraph then ``<div class="paywall">``.
* 1028 -- broken CMS page: no h1, empty <title>, no og:title, no JSON-LD; still has the
  nav/footer/popular list. Linked from "Latest News"; validation must reject it.
* 1007 -- linked a second time from the front page ("Editor's Picks") as
  ``etc/article/1007.html?utm_source=newsletter&utm_medium=email#comments``.
* 1005 -- two authors ("By Park Ji-hoon and Lee Soo-jin, Staff Reporters").
"""

from __future__ import annotations

from tools.demo.model import DemoArticle, Section

SITE_NAME = "News1 Global"
SITE_URL = "https://www.news1global.com/"
DATE_LINE = "Saturday, February 21, 2026"

SECTIONS: tuple[Section, ...] = (
    Section(
        "politics",
        "Politics",
        (
            "National Assembly",
            "Presidential Office",
            "Elections",
            "Defense",
            "Diplomacy",
            "Local Government",
        ),
    ),
    Section(
        "business",
        "Business",
        ("Economy", "Markets", "Industry", "Technology", "Real Estate", "Autos"),
    ),
    Section(
        "society", "Society", ("Weather", "Education", "Health", "Transport", "Crime", "Labor")
    ),
    Section("culture", "Culture", ("K-pop", "Drama", "Film", "Books", "Food", "Travel")),
    Section(
        "sports", "Sports", ("KBO", "K League", "Golf", "Winter Sports", "Esports", "Volleyball")
    ),
    Section(
        "world",
        "World",
        ("North Korea", "China", "Japan", "United States", "Southeast Asia", "Europe"),
    ),
    Section("etc", "Etc", ("Science", "Opinion", "People", "Offbeat", "Corrections", "Photos")),
)

TOP_STORY_ID = 1001
# "Latest News" on the front page, newest first (includes the broken page 1028)
LATEST_IDS: tuple[int, ...] = (1007, 1028, 1016, 1014, 1009, 1033, 1004, 1020, 1031, 1012)
EDITORS_PICKS_IDS: tuple[int, ...] = (1025, 1007, 1013)
# the Editor's Picks link to 1007 carries newsletter tracking and a fragment (edge case)
TRACKED_LINKS: dict[int, str] = {1007: "?utm_source=newsletter&utm_medium=email#comments"}
MOST_POPULAR_IDS: tuple[int, ...] = (
    1004,
    1001,
    1005,
    1014,
    1009,
    1017,
    1006,
    1012,
    1025,
    1002,
)

STAFF = "Staff Reporter"

ARTICLES: tuple[DemoArticle, ...] = (
    # ----------------------------------------------------------------- politics
    DemoArticle(
        id=1001,
        section="politics",
        category="Politics",
        headline=(
            "Assembly passes extra budget after all-night session as rival parties trade blame"
        ),
        teaser="Lawmakers approved a 14.2 trillion-won supplementary budget shortly before dawn.",
        authors=("Choi Yeon-woo",),
        author_title=STAFF,
        published="2026-02-21 06:40",
        updated="2026-02-21 11:15",
        tags=("National Assembly", "Budget", "Democratic Party", "People Power Party"),
        caption="Lawmakers vote on the supplementary budget at the National Assembly in Seoul.",
        related=(1008, 1002, 1015),
        paragraphs=(
            "The National Assembly passed a 14.2 trillion-won supplementary budget early "
            "Saturday after an all-night plenary session, ending a three-week standoff over "
            "cash handouts for small merchants.",
            "The bill cleared the floor with 178 votes in favor and 96 against shortly before "
            "5 a.m., after negotiators trimmed 600 billion won from regional infrastructure "
            "projects demanded by the ruling bloc.",
            'Opposition floor leader Han Seung-ho accused the government of "buying votes '
            'four months before the local elections," while the ruling party said the '
            "package was needed to cushion a slowdown in domestic demand.",
            "The finance ministry said it would begin disbursing the first tranche of "
            "support payments to registered small business owners as early as March 3.",
            "Economists expect the extra spending to lift this year's growth rate by about "
            "0.1 percentage point, though several warned it would push the national debt "
            "ratio above 50 percent of GDP for the first time.",
        ),
    ),
    DemoArticle(
        id=1008,
        section="politics",
        category="Politics",
        headline="President to visit Busan port next week to pitch southeastern shipping hub",
        teaser="The trip is the first regional tour of the president's new economic agenda.",
        authors=("Yoon Seo-hyun",),
        author_title=STAFF,
        published="2026-02-20 21:10",
        tags=("Presidential Office", "Busan", "Shipping"),
        caption="Container cranes stand at Busan New Port.",
        related=(1001, 1030, 1022),
        paragraphs=(
            "The president will travel to Busan on Wednesday to promote a plan to turn the "
            "southeastern port city into a regional logistics and shipbuilding hub, the "
            "presidential office said Friday.",
            "During the one-day visit, the president is expected to meet shipyard workers "
            "and port operators and to chair a policy meeting on the planned relocation of "
            "two state-run maritime agencies.",
            "A senior aide told reporters the administration hoped to finalize the "
            "relocation schedule before the end of the first half.",
            "Local business groups welcomed the visit but urged the government to commit "
            "funding for a long-delayed rail link to the new port.",
        ),
    ),
    DemoArticle(
        id=1015,
        section="politics",
        category="Politics",
        headline="Election commission tightens rules on AI-generated campaign videos",
        teaser="Candidates must label synthetic images and audio from the start of March.",
        authors=("Jang Hye-won",),
        author_title=STAFF,
        published="2026-02-20 16:25",
        tags=("Elections", "Artificial Intelligence", "Local Elections"),
        caption="An official explains the new guidelines at the election commission in Gwacheon.",
        related=(1001, 1029, 1023),
        paragraphs=(
            "The National Election Commission on Friday announced stricter rules on the use "
            "of AI-generated video and audio in campaigning ahead of the June local "
            "elections.",
            "Under the guidelines, any campaign material that uses synthetic faces or voices "
            "must carry a visible label, and deepfakes of rival candidates will be banned "
            "outright in the 90 days before the vote.",
            "Violators face fines of up to 10 million won or prison terms of up to seven "
            "years under a revised election law passed last year.",
            "Civic groups said the commission should also require platforms to take down "
            "unlabeled content within 24 hours.",
        ),
    ),
    DemoArticle(
        id=1022,
        section="politics",
        category="Politics",
        headline="Defense ministry unveils plan to shorten reservist training with VR drills",
        teaser="Reservists could complete part of their annual training with headsets by 2027.",
        authors=("Seo Jae-min",),
        author_title="Defense Correspondent",
        published="2026-02-20 14:00",
        tags=("Defense", "Military"),
        caption="Reservists take part in a virtual reality shooting drill in Goyang.",
        related=(1008, 1006),
        paragraphs=(
            "The defense ministry said Friday it will pilot virtual reality training for "
            "reserve forces this year, aiming to cut the time reservists spend at training "
            "camps by a third.",
            "About 4,000 reservists in Gyeonggi Province will take part in the pilot, which "
            "includes simulated marksmanship and urban combat exercises.",
            "Officials said the change reflects a shrinking pool of conscripts as the "
            "country's birth rate remains the lowest in the world.",
            "The ministry plans to expand the program nationwide in 2027 if the pilot meets "
            "readiness targets.",
        ),
    ),
    DemoArticle(
        id=1029,
        section="politics",
        category="Politics",
        headline="Seoul mayor proposes four-day workweek trial for city employees",
        teaser="About 1,200 city hall staff would work 32 hours a week for six months.",
        authors=("Lim Da-eun",),
        author_title=STAFF,
        published="2026-02-20 11:30",
        tags=("Seoul", "Labor", "Local Government"),
        caption="Seoul City Hall.",
        related=(1015, 1024),
        paragraphs=(
            "The Seoul metropolitan government on Friday proposed a six-month trial of a "
            "four-day workweek for about 1,200 employees at city hall and affiliated "
            "agencies.",
            "Participants would work 32 hours a week without a pay cut, and the city would "
            "measure productivity, sick leave and resident satisfaction before deciding on "
            "a wider rollout.",
            "The proposal requires approval from the Seoul Metropolitan Council, where the "
            "mayor's party holds a narrow majority.",
            "Business lobby groups warned that the experiment could fuel demand for shorter "
            "hours in the private sector before the economy is ready.",
        ),
    ),
    # ----------------------------------------------------------------- business
    DemoArticle(
        id=1002,
        section="business",
        category="Business",
        headline="Hanseong Electronics posts record Q4 profit on AI memory chip boom",
        teaser="Operating profit more than doubled as data-center customers snapped up HBM chips.",
        authors=("Oh Min-seok",),
        author_title=STAFF,
        published="2026-02-20 17:45",
        tags=("Hanseong Electronics", "Semiconductors", "Earnings"),
        caption="Visitors look at memory modules at Hanseong Electronics' showroom in Seoul.",
        related=(1009, 1016, 1023),
        paragraphs=(
            "Hanseong Electronics, the country's second-largest chipmaker, reported a "
            "record quarterly operating profit of 11.8 trillion won for the October-December "
            "period, more than double a year earlier.",
            "Sales rose 38 percent to 49.3 trillion won, driven by high-bandwidth memory "
            "chips used in artificial intelligence servers.",
            "The company said it expects HBM demand to outstrip supply through the end of "
            "the year and plans to raise capital spending by 20 percent.",
            "Shares of Hanseong closed 4.1 percent higher on the Seoul bourse, leading gains "
            "in the tech-heavy KOSPI index.",
            "Analysts cautioned that a correction in consumer electronics demand could weigh "
            "on the company's smartphone division in the first half.",
        ),
    ),
    DemoArticle(
        id=1009,
        section="business",
        category="Business",
        headline="+30% exports: shipments of Korean cosmetics to Southeast Asia hit new high",
        teaser="Cosmetics exports to ASEAN countries rose 30 percent on-year in January.",
        authors=("Kwon Ha-neul",),
        author_title=STAFF,
        published="2026-02-21 10:20",
        tags=("Exports", "Cosmetics", "ASEAN"),
        caption="Shoppers browse skin care products at a store in Myeong-dong, Seoul.",
        related=(1002, 1030, 1027),
        paragraphs=(
            "Exports of South Korean cosmetics to Southeast Asia jumped 30 percent on-year "
            "in January to a record 412 million U.S. dollars, trade ministry data showed "
            "Saturday.",
            "Vietnam, Indonesia and the Philippines accounted for nearly two-thirds of the "
            "total, as online retailers expanded same-day delivery across the region.",
            "Small and midsize brands drove much of the growth, with sun care and cushion "
            "foundation products among the best sellers.",
            "The ministry said it would open two more export support centers in Jakarta and "
            "Manila this year to help smaller firms navigate local certification rules.",
        ),
    ),
    DemoArticle(
        id=1016,
        section="business",
        category="Business",
        headline="Bank of Korea holds key rate at 2.5 percent, signals cut possible in spring",
        teaser="The central bank kept borrowing costs unchanged for a third straight meeting.",
        authors=("Bae Joon-young",),
        author_title=STAFF,
        published="2026-02-21 10:05",
        updated="2026-02-21 13:40",
        tags=("Bank of Korea", "Interest Rates", "Economy"),
        caption="The Bank of Korea governor speaks at a press conference in Seoul.",
        related=(1002, 1023, 1001),
        paragraphs=(
            "The Bank of Korea kept its benchmark interest rate steady at 2.5 percent on "
            "Saturday's special policy meeting, but its governor said a cut could come as "
            "early as April if inflation keeps easing.",
            "Consumer prices rose 1.9 percent in January, staying below the central bank's "
            "2 percent target for a fourth month.",
            "Four of the seven board members said they were open to lowering rates within "
            "three months, the governor told reporters.",
            "The decision came as household debt growth slowed for the first time in a year "
            "after tighter mortgage lending rules took effect.",
            "Markets had widely expected the hold, and the won strengthened slightly against "
            "the dollar after the announcement.",
        ),
    ),
    DemoArticle(
        id=1023,
        section="business",
        category="Business",
        headline="Daejin Motors to build 2 trillion-won battery plant in Ulsan",
        teaser="The carmaker's new plant will supply its next generation of electric SUVs.",
        authors=("Oh Min-seok",),
        author_title=STAFF,
        published="2026-02-20 15:10",
        tags=("Daejin Motors", "Electric Vehicles", "Batteries"),
        caption="An assembly line at Daejin Motors' Ulsan plant.",
        related=(1002, 1016),
        paragraphs=(
            "Daejin Motors said Friday it will invest 2 trillion won to build a battery "
            "pack plant in Ulsan, its first in-house battery facility in South Korea.",
            "The plant, due to open in 2028, will have annual capacity for packs for 300,000 "
            "electric vehicles and employ about 1,500 people.",
            "The company said producing battery packs near its vehicle assembly lines would "
            "cut logistics costs and shield it from supply disruptions.",
            "Ulsan city officials promised to fast-track permits and offered land at "
            "discounted rates in an industrial complex near the port.",
        ),
    ),
    DemoArticle(
        id=1030,
        section="business",
        category="Business",
        headline="Shipbuilders' order backlog reaches 10-year high on LNG carrier demand",
        teaser="Korean yards now hold enough orders to keep their docks busy until 2029.",
        authors=("Kwon Ha-neul",),
        author_title=STAFF,
        published="2026-02-20 09:50",
        tags=("Shipbuilding", "LNG", "Industry"),
        caption="A liquefied natural gas carrier under construction in Geoje.",
        related=(1008, 1009),
        paragraphs=(
            "South Korea's shipbuilders ended January with an order backlog of 39.6 million "
            "compensated gross tons, the highest in a decade, according to industry data.",
            "Orders for liquefied natural gas carriers accounted for more than half of new "
            "contracts last year, as buyers in Europe and Asia diversified supply.",
            "Yards are struggling to hire enough welders and painters, and several have "
            "expanded programs to train foreign workers.",
            "Industry officials said higher prices for new vessels should lift margins "
            "through 2027.",
        ),
    ),
    # ----------------------------------------------------------------- society
    DemoArticle(
        id=1003,
        section="society",
        category="Society",
        headline="Cold wave advisory issued for central regions as temperatures dip to minus 15",
        teaser="Forecasters warned of icy roads and frozen pipes through Monday morning.",
        authors=("Ryu Ji-ae",),
        author_title=STAFF,
        published="2026-02-21 05:30",
        tags=("Weather", "Cold Wave"),
        caption="Pedestrians bundle up against the cold in central Seoul.",
        related=(1010, 1024),
        paragraphs=(
            "The Korea Meteorological Administration issued cold wave advisories for Seoul, "
            "Gyeonggi and Gangwon provinces on Saturday as morning temperatures fell to "
            "minus 15 C in some inland areas.",
            "Wind chill made it feel as cold as minus 20 C in Cheorwon near the border, "
            "the weather agency said.",
            "Authorities urged residents to wrap outdoor water meters and to avoid "
            "unnecessary driving on mountain roads.",
            "Temperatures are expected to climb back above freezing during the day from "
            "Tuesday as a high-pressure system moves east.",
        ),
    ),
    DemoArticle(
        id=1010,
        section="society",
        category="Society",
        headline="Seoul subway to run extra late-night trains during university entrance week",
        teaser="Lines 2 and 4 will run until 2 a.m. from Monday to Friday next week.",
        authors=("Moon Seo-yeon",),
        author_title=STAFF,
        published="2026-02-20 19:20",
        tags=("Seoul", "Transport", "Subway"),
        caption="Commuters board a Line 2 train at Gangnam Station.",
        related=(1003, 1029),
        paragraphs=(
            "Seoul Metro will extend service on subway lines 2 and 4 until 2 a.m. next week "
            "to handle crowds during university orientation and entrance events.",
            "The operator said it would add 24 late-night trains in total and deploy extra "
            "staff at major transfer stations.",
            "Bus routes serving university districts in Sinchon and Hyehwa will also run "
            "more frequently after midnight.",
            "The city said it would review ridership data to decide whether to make the "
            "extended hours permanent on Fridays.",
        ),
    ),
    DemoArticle(
        id=1017,
        section="society",
        category="Society",
        headline=(
            "Inside the hagwon economy: how families spend a fifth of their income on cram schools"
        ),
        teaser="A News1 Global investigation follows three households through one school year.",
        authors=("Ryu Ji-ae",),
        author_title="Senior Reporter",
        published="2026-02-21 08:00",
        tags=("Education", "Private Education", "Investigation"),
        caption="Students leave a cram school district in Daechi-dong late at night.",
        related=(1024, 1031),
        paywalled=True,
        paragraphs=(
            "At 10 p.m. on a Tuesday, the streets of Daechi-dong in southern Seoul fill with "
            "minivans waiting for students to finish their last class of the day at one of "
            "the district's hundreds of private academies.",
        ),
    ),
    DemoArticle(
        id=1024,
        section="society",
        category="Society",
        headline="Hospitals report shortage of pediatric night-shift doctors in provinces",
        teaser="One in three provincial hospitals has no pediatrician on duty after 9 p.m.",
        authors=("Hwang Eun-bi",),
        author_title=STAFF,
        published="2026-02-20 13:15",
        tags=("Health", "Hospitals"),
        caption="An emergency room entrance at a hospital in Daegu.",
        related=(1017, 1003),
        paragraphs=(
            "One in three general hospitals outside the capital region has no pediatrician "
            "on duty overnight, according to a health ministry survey released Friday.",
            "Parents in rural counties said they sometimes drive more than an hour to reach "
            "an emergency room that can treat young children.",
            "The ministry plans to raise fees for pediatric night care by 30 percent and to "
            "fund shared on-call teams covering several hospitals.",
            "Doctors' groups said the measures would help but called for more residency "
            "positions in pediatrics.",
        ),
    ),
    DemoArticle(
        id=1031,
        section="society",
        category="Society",
        headline="Police crack down on illegal betting apps targeting teenagers",
        teaser="Investigators arrested 41 people who ran gambling sites disguised as games.",
        authors=("Moon Seo-yeon",),
        author_title=STAFF,
        published="2026-02-21 09:40",
        tags=("Crime", "Gambling", "Police"),
        caption="Police display seized devices at a briefing in Seoul.",
        related=(1017, 1010),
        paragraphs=(
            "Police said Saturday they had arrested 41 people suspected of running illegal "
            "betting apps that lured middle and high school students with game-like "
            "interfaces.",
            "The apps took in an estimated 18 billion won over two years, with minimum "
            "bets as low as 1,000 won, investigators said.",
            "About 3,200 teenagers are believed to have used the apps, and some borrowed "
            "money from classmates to cover losses.",
            "The education ministry said it would add gambling prevention classes to the "
            "school curriculum from the new semester.",
        ),
    ),
    # ----------------------------------------------------------------- culture
    DemoArticle(
        id=1004,
        section="culture",
        category="Culture",
        headline=(
            "K-pop group NOVA7 tops global chart with “Midnight Hanok” — a first for the band 🎤"
        ),
        teaser="The seven-member group’s new single debuted at No. 1 on a global streaming chart.",
        authors=("Kim Min-ji (김민지)",),
        author_title=STAFF,
        published="2026-02-21 09:05",
        tags=("K-pop", "NOVA7", "Music Charts"),
        caption="NOVA7 (노바세븐) performs “Midnight Hanok” at a showcase in Seoul.",
        related=(1011, 1018, 1025),
        paragraphs=(
            "K-pop group NOVA7 (노바세븐) has topped a global streaming chart with its new "
            "single “Midnight Hanok,” the first No. 1 for the seven-member band since its "
            "debut in 2022.",
            "The song, which mixes a gayageum riff with synth-pop, racked up 48 million "
            "streams in its first week, according to the group’s agency.",
            "“We wanted to bring the sound of an old Seoul neighborhood to the world,” "
            "leader Seo Ha-jun (서하준) said at a press event on Saturday — adding that the "
            "members ‘couldn’t believe it’ when they saw the ranking. 🎉",
            "Fans gathered outside the agency’s building in Seongsu-dong with banners "
            "reading “우리 노바 최고” (Our NOVA is the best).",
            "The group will begin a 20-city world tour in Incheon on April 4.",
        ),
    ),
    DemoArticle(
        id=1011,
        section="culture",
        category="Culture",
        headline="Netflix-style K-drama about Joseon-era detectives renewed for second season",
        teaser="The period thriller drew 11 million viewers in its first month.",
        authors=("Shin Ye-rin",),
        author_title=STAFF,
        published="2026-02-20 18:30",
        tags=("Drama", "Streaming"),
        caption='A scene from the period thriller "Lantern Bureau."',
        related=(1004, 1018),
        paragraphs=(
            'The period thriller "Lantern Bureau," which follows a team of royal '
            "investigators in 17th-century Hanyang, has been renewed for a second season, "
            "its production company said Friday.",
            "The first season drew about 11 million viewers worldwide in its first month "
            "and ranked in the top 10 non-English series in 38 countries.",
            "Filming for the new season will begin in May at sets in Mungyeong and Suncheon.",
            "The lead actors are expected to return, along with a new villain played by a "
            "veteran stage actor.",
        ),
    ),
    DemoArticle(
        id=1018,
        section="culture",
        category="Culture",
        headline="National Museum opens exhibition of rarely seen Goryeo celadon",
        teaser="More than 200 pieces, some never shown in public, go on display next month.",
        authors=("Shin Ye-rin",),
        author_title=STAFF,
        published="2026-02-20 10:45",
        tags=("Museums", "Heritage"),
        caption="A Goryeo-era celadon vase on display at the National Museum of Korea.",
        related=(1011, 1032),
        paragraphs=(
            "The National Museum of Korea will open an exhibition of Goryeo Dynasty celadon "
            "on March 10, featuring more than 200 pieces from its own collection and from "
            "museums in Japan and the United States.",
            "About 40 of the objects have never been displayed in public, including a "
            "wine ewer shaped like a bamboo shoot.",
            "Curators said new imaging technology helped them trace several pieces to kilns "
            "in Gangjin and Buan.",
            "Admission is free, but visitors must book time slots online.",
        ),
    ),
    DemoArticle(
        id=1025,
        section="culture",
        category="Culture",
        headline="Korean director's debut film wins top prize at Berlin sidebar",
        teaser="The low-budget drama about a Busan fish market family won the Panorama award.",
        authors=("Jeon Woo-jin",),
        author_title="Culture Correspondent",
        published="2026-02-21 02:15",
        tags=("Film", "Berlinale"),
        caption="The director holds the award in Berlin.",
        related=(1004, 1011),
        paragraphs=(
            "First-time director Noh Ga-young won the audience award of the Berlin "
            'International Film Festival\'s Panorama section for her drama "Salt Tide."',
            "The film follows three generations of a family running a stall at a Busan fish "
            "market as redevelopment threatens their livelihood.",
            "Shot in 22 days on a budget of about 400 million won, the film cast local "
            "market workers in several supporting roles.",
            "A domestic release is planned for May.",
        ),
    ),
    DemoArticle(
        id=1032,
        section="culture",
        category="Culture",
        headline="Jeonju's bibimbap festival to return with record number of stalls",
        teaser="Organizers expect 300,000 visitors at the April food festival.",
        authors=("Jeon Woo-jin",),
        author_title=STAFF,
        published="2026-02-20 08:20",
        tags=("Food", "Festivals", "Travel"),
        caption="Visitors share a giant bowl of bibimbap at last year's festival in Jeonju.",
        related=(1018, 1004),
        paragraphs=(
            "The city of Jeonju said Friday its annual bibimbap festival will return in "
            "April with 180 food stalls, the most in its history.",
            "This year's program includes cooking classes in English, Chinese and Japanese "
            "as the city courts foreign tourists.",
            "Organizers will also run a zero-waste campaign, replacing disposable bowls "
            "with rented brass tableware.",
            "The festival runs from April 24 to 27 in the Hanok Village area.",
        ),
    ),
    # ----------------------------------------------------------------- sports
    DemoArticle(
        id=1005,
        section="sports",
        category="Sports",
        headline="KBO champions LG Twins open spring camp with new ace from Dominican league",
        teaser="The defending champions showed off their new right-hander in Okinawa.",
        authors=("Park Ji-hoon", "Lee Soo-jin"),
        author_title="Staff Reporters",
        published="2026-02-21 07:50",
        tags=("KBO", "LG Twins", "Baseball"),
        caption="Pitchers warm up at the LG Twins' spring camp in Okinawa.",
        related=(1012, 1019, 1026),
        paragraphs=(
            "The LG Twins, defending champions of the Korea Baseball Organization, held "
            "their first full-squad workout at their spring camp in Okinawa on Saturday.",
            "All eyes were on right-hander Rafael Montaño, signed in December for 1.1 "
            "million U.S. dollars after leading the Dominican winter league in "
            "strikeouts.",
            "Montaño threw 35 pitches in a bullpen session, topping out at 154 kph, and "
            "told reporters he was still adjusting to the KBO's official ball.",
            "Manager Kang Tae-won said the team would use a six-man rotation in April to "
            "manage the workload of younger starters.",
            "The KBO regular season opens on March 28.",
            "The Twins will play their first exhibition game against a Japanese club next "
            "Saturday.",
        ),
    ),
    DemoArticle(
        id=1012,
        section="sports",
        category="Sports",
        headline="Speed skater Jung Da-bin sets national record in 1,000 meters",
        teaser="The 19-year-old broke an 8-year-old mark at the World Cup final.",
        authors=("Song Min-jae",),
        author_title=STAFF,
        published="2026-02-21 01:30",
        tags=("Speed Skating", "Winter Sports"),
        caption="Jung Da-bin celebrates after her race.",
        related=(1005, 1033),
        paragraphs=(
            "Speed skater Jung Da-bin set a South Korean record in the women's 1,000 meters "
            "at the World Cup final in the Netherlands, finishing in 1 minute, 13.02 "
            "seconds.",
            "The 19-year-old took second place in the race, 0.12 seconds behind the winner.",
            "The previous national record had stood for eight years.",
            "Jung said she was aiming for a podium finish at next month's world single "
            "distance championships.",
        ),
    ),
    DemoArticle(
        id=1019,
        section="sports",
        category="Sports",
        headline="K League season to kick off with Ulsan-Jeonbuk rematch",
        teaser="Last year's title rivals meet in the opening game on March 1.",
        authors=("Song Min-jae",),
        author_title=STAFF,
        published="2026-02-20 12:00",
        tags=("K League", "Football"),
        caption="Players and coaches pose with the trophy at the season launch event.",
        related=(1005, 1026),
        paragraphs=(
            "The 2026 K League 1 season will open on March 1 with a rematch between Ulsan "
            "and Jeonbuk, who finished first and second last year.",
            "The league said it would introduce a semi-automated offside system at all "
            "stadiums this season.",
            "Twelve clubs will play 38 rounds before splitting into championship and "
            "relegation groups in October.",
            "Ticket sales for the opening round have already passed 120,000.",
        ),
    ),
    DemoArticle(
        id=1026,
        section="sports",
        category="Sports",
        headline="Golfer Yoo Seung-ah leads by two after opening round in Thailand",
        teaser="The rookie carded a 7-under 65 with eight birdies.",
        authors=("Cha Hyun-soo",),
        author_title=STAFF,
        published="2026-02-20 20:05",
        tags=("Golf", "LPGA"),
        caption="Yoo Seung-ah tees off on the first hole.",
        related=(1005, 1012),
        paragraphs=(
            "Rookie Yoo Seung-ah shot a 7-under-par 65 to take a two-stroke lead after the "
            "first round of the LPGA tournament in Pattaya, Thailand.",
            "Yoo made eight birdies against one bogey in her third start on the tour.",
            "Three other South Korean players finished the day inside the top 10.",
            "The second round begins Saturday morning local time.",
        ),
    ),
    DemoArticle(
        id=1033,
        section="sports",
        category="Sports",
        headline="Korean esports team qualifies for world finals after reverse sweep",
        teaser="Team Hwarang came back from two games down to win 3-2.",
        authors=("Cha Hyun-soo",),
        author_title=STAFF,
        published="2026-02-21 11:55",
        tags=("Esports",),
        caption="Team Hwarang players celebrate on stage.",
        related=(1012, 1019),
        paragraphs=(
            "Team Hwarang qualified for the world finals of a major strategy game league "
            "after coming back from two games down to beat a Chinese rival 3-2 in Shanghai.",
            "The team's 20-year-old support player was named most valuable player of the series.",
            "The world finals will be held in Los Angeles in May.",
            "It is the third straight year a Korean team has reached the finals.",
        ),
    ),
    # ----------------------------------------------------------------- world
    DemoArticle(
        id=1006,
        section="world",
        category="North Korea",
        headline="N. Korea fires short-range ballistic missile into East Sea, JCS says",
        teaser="The launch came days before the start of joint military drills.",
        authors=("Seo Jae-min",),
        author_title="Defense Correspondent",
        published="2026-02-21 08:35",
        tags=("North Korea", "Missiles", "JCS"),
        caption="A television at Seoul Station shows a news report on the launch.",
        related=(1013, 1022, 1020),
        paragraphs=(
            "North Korea fired a short-range ballistic missile into the East Sea on "
            "Saturday morning, South Korea's Joint Chiefs of Staff (JCS) said.",
            "The missile was launched from near Pyongyang at around 7:50 a.m. and flew "
            "about 420 kilometers, according to the JCS.",
            "The launch came four days before South Korea and the United States are set to "
            "begin their annual springtime combined exercise.",
            "The presidential office convened an emergency security meeting and condemned "
            "the launch as a clear violation of U.N. Security Council resolutions.",
            "Japan's defense ministry said the missile appeared to have fallen outside its "
            "exclusive economic zone.",
        ),
    ),
    DemoArticle(
        id=1013,
        section="world",
        category="World",
        headline="Seoul, Tokyo agree to resume shuttle diplomacy with summit in April",
        teaser="The leaders will meet in Nara to discuss supply chains and tourism.",
        authors=("Yoon Seo-hyun",),
        author_title=STAFF,
        published="2026-02-20 22:40",
        tags=("Japan", "Diplomacy"),
        caption="The foreign ministers shake hands in Tokyo.",
        related=(1006, 1027),
        paragraphs=(
            "South Korea and Japan agreed Friday to hold a summit in the Japanese city of "
            "Nara in April, continuing regular visits between their leaders.",
            "The foreign ministers of the two countries announced the plan after talks in Tokyo.",
            "The agenda will include cooperation on semiconductor supply chains, youth "
            "exchanges and a visa waiver extension for tourists.",
            "It would be the fourth meeting between the two leaders in a year.",
        ),
    ),
    DemoArticle(
        id=1020,
        section="world",
        category="World",
        headline="U.S. envoy says door remains open to talks with Pyongyang",
        teaser="The special representative spoke after meeting Seoul's unification minister.",
        authors=("Yoon Seo-hyun",),
        author_title=STAFF,
        published="2026-02-21 12:30",
        tags=("United States", "North Korea", "Diplomacy"),
        caption="The U.S. special representative speaks to reporters in Seoul.",
        related=(1006, 1013),
        paragraphs=(
            "The U.S. special representative for North Korea said Saturday that Washington "
            'remains open to dialogue with Pyongyang "without preconditions."',
            "The envoy made the remarks after talks with South Korea's unification minister "
            "in Seoul, hours after the North's latest missile launch.",
            "Both sides agreed to keep sanctions enforcement tight while exploring "
            "humanitarian cooperation.",
            "North Korea has rejected repeated offers of talks since 2019.",
        ),
    ),
    DemoArticle(
        id=1027,
        section="world",
        category="World",
        headline="Vietnam becomes largest destination for Korean outbound tourists in winter",
        teaser="Da Nang and Phu Quoc overtook Japanese cities in January bookings.",
        authors=("Kwon Ha-neul",),
        author_title=STAFF,
        published="2026-02-20 07:45",
        tags=("Vietnam", "Travel", "Tourism"),
        caption="Tourists walk along a beach in Da Nang.",
        related=(1009, 1013),
        paragraphs=(
            "Vietnam overtook Japan as the most popular destination for South Korean "
            "travelers in January, according to data from major travel agencies.",
            "Da Nang alone accounted for 18 percent of overseas package bookings, helped by "
            "new direct flights from regional airports.",
            "Travel agencies said warm weather and lower prices drew families during the "
            "school winter break.",
            "Japan remained the top destination for independent travelers.",
        ),
    ),
    DemoArticle(
        id=1034,
        section="world",
        category="World",
        headline="China's new trade rules to require labels on Korean food imports",
        teaser="Exporters have six months to comply with the Chinese-language labeling rule.",
        authors=("Bae Joon-young",),
        author_title=STAFF,
        published="2026-02-20 06:55",
        tags=("China", "Trade", "Food"),
        caption="Korean snacks on sale at a supermarket in Shanghai.",
        related=(1009, 1027),
        paragraphs=(
            "China will require detailed Chinese-language labels on imported processed "
            "foods from August, a change that affects about 2,000 South Korean exporters.",
            "The rules cover ingredient origins, allergen warnings and QR codes linking to "
            "inspection records.",
            "The agriculture ministry in Seoul said it would fund label translation for "
            "small exporters.",
            "China is the largest market for Korean instant noodles and snacks.",
        ),
    ),
    # ----------------------------------------------------------------- etc
    DemoArticle(
        id=1007,
        section="etc",
        category="Etc",
        headline="Seoul's oldest bakery marks 80 years with free red bean bread",
        teaser="Customers lined up before dawn for the anniversary giveaway in Jung-gu.",
        authors=("Hwang Eun-bi",),
        author_title=STAFF,
        published="2026-02-21 09:00",
        updated="2026-02-21 14:30",
        tags=("People", "Food", "Seoul"),
        caption="Customers queue outside the bakery in Jung-gu, Seoul.",
        related=(1032, 1014, 1021),
        paragraphs=(
            "A bakery in central Seoul that opened in 1946 celebrated its 80th anniversary "
            "on Saturday by handing out 8,000 loaves of red bean bread.",
            "The first customers arrived at 4 a.m., and the giveaway ended before 10 a.m., "
            "the bakery said.",
            "The shop is now run by the founder's granddaughter, who still uses the original "
            "recipe with less sugar.",
            "(Updated with the number of loaves handed out.)",
        ),
    ),
    DemoArticle(
        id=1014,
        section="etc",
        category="Etc",
        headline="=SUM of all fears: spreadsheet glitch delays tax refunds for 30,000 workers",
        teaser="A formula error in a payroll template sent refunds to the wrong accounts.",
        authors=("Oh Min-seok",),
        author_title=STAFF,
        published="2026-02-21 10:50",
        tags=("Taxes", "Offbeat"),
        caption="A tax office in Seoul.",
        related=(1016, 1007),
        paragraphs=(
            "About 30,000 office workers will get their year-end tax refunds a week late "
            "after a formula error in a widely used payroll spreadsheet template, the tax "
            "agency said Saturday.",
            "The error shifted a column of bank account numbers by one row, sending some "
            "refunds to colleagues' accounts.",
            "The software vendor apologized and released a corrected template.",
            "Officials said all misdirected payments had been recovered.",
        ),
    ),
    DemoArticle(
        id=1021,
        section="etc",
        category="Etc",
        headline="Correction: Seoul Lantern Festival dates",
        teaser="An earlier article gave the wrong dates for the festival.",
        authors=("Lim Da-eun",),
        author_title=STAFF,
        published="2026-02-20 17:00",
        caption="Lanterns along the Cheonggyecheon stream.",
        related=(1007, 1032),
        paragraphs=(
            "An article published on Feb. 18 incorrectly stated that the Seoul Lantern "
            "Festival would run from March 1 to 10.",
            "The festival will run from March 6 to 22 along the Cheonggyecheon stream.",
            "The error has been corrected in the original article.",
            "News1 Global regrets the error.",
        ),
    ),
    DemoArticle(
        id=1028,
        section="etc",
        category="Etc",
        headline="Robot baristas spread across Seoul convenience stores",
        teaser="Chains are installing coffee robots in 500 stores this year.",
        authors=("Jang Hye-won",),
        author_title=STAFF,
        published="2026-02-21 13:05",
        tags=("Technology", "Retail"),
        broken=True,
        paragraphs=("Convenience store chains are installing robot baristas.",),
    ),
)

ARTICLES_BY_ID: dict[int, DemoArticle] = {a.id: a for a in ARTICLES}

# Static pages linked from the footer: file name -> (title, one paragraph)
STATIC_PAGES: dict[str, tuple[str, str]] = {
    "about.html": (
        "About Us",
        "News1 Global is the English-language service of a fictional "
        "Korean news agency. Everything on this demo site is invented.",
    ),
    "contact.html": ("Contact Us", "Send tips and corrections to the news desk."),
    "advertise.html": ("Advertise", "Reach readers across Asia with display and native ads."),
    "terms.html": ("Terms of Service", "Use of this demo site is at your own risk."),
    "privacy.html": ("Privacy Policy", "This demo site sets no cookies and collects no data."),
    "ethics.html": ("Code of Ethics", "We correct errors promptly and say so."),
    "careers.html": ("Careers", "We are not hiring: this newsroom is fictional."),
    "rss.html": ("RSS Feeds", "Feeds are not available on the demo site."),
}
