"""Writes the G2P parity corpus (src/engine/text/golden/g2p-corpus.json): 354 English sentences,
American and British, with numbers, money, dates, times, abbreviations, acronyms, names, quotes,
heteronyms, units and Roman numerals. Deterministic (fixed seed). Run: python scripts/golden/g2p_corpus.py OUT_JSON"""
import json
import random
import sys

random.seed(20261206)

PLAIN = [
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
    "The boy was there when the sun rose.",
    "A rod is used to catch pink salmon.",
    "The source of the huge river is the clear spring.",
    "Kick the ball straight and follow through.",
    "Help the woman get back to her feet.",
    "A pot of tea helps to pass the evening.",
    "Smoky fires lack flame and heat.",
    "The soft cushion broke the man's fall.",
    "The salt breeze came across from the sea.",
    "The girl at the booth sold fifty bonds.",
    "The small pup gnawed a hole in the sock.",
    "The fish twisted and turned on the bent hook.",
    "Press the pants and sew a button on the vest.",
    "The swan dive was far short of perfect.",
    "The beauty of the view stunned the young boy.",
    "Two blue fish swam in the tank.",
    "Her purse was full of useless trash.",
    "The colt reared and threw the tall rider.",
    "It snowed, rained, and hailed the same morning.",
    "Read verse out loud for pleasure.",
    "Hoist the load to your left shoulder.",
    "Take the winding path to reach the lake.",
    "Note closely the size of the gas tank.",
    "Wipe the grease off his dirty face.",
    "Mend the coat before you go out.",
    "The wrist was badly strained and hung limp.",
    "The stray cat gave birth to kittens.",
    "The young girl gave no clear response.",
    "The meal was cooked before the bell rang.",
    "What joy there is in living.",
]

HETERONYMS = [
    "They live here now.", "We saw the band play live music.", "There is a tear in the paper.",
    "A tear rolled down her cheek.", "I want to present a present to you.", "The farm sells fresh produce.",
    "The factory will produce more cars.", "Please record the meeting.", "She broke the world record.",
    "The wind was strong today.", "Wind the clock before bed.", "He read the book yesterday.",
    "I will read the book tomorrow.", "The dove flew over the hill.", "He dove into the pool.",
    "Lead is a heavy metal.", "She will lead the team.", "Close the door, please.",
    "The shop is close to the station.", "Do not desert your friends.", "The desert is hot and dry.",
    "The bass guitar was loud.", "They caught a bass in the lake.", "I object to that plan.",
    "That object is heavy.", "We must use the tool.", "There is no use in waiting.",
    "The contract was signed.", "Metal may contract in the cold.", "Her conduct was perfect.",
    "She will conduct the orchestra.", "The minute hand moved.", "The change was minute.",
    "He wound the rope tightly.", "The wound healed quickly.", "Please refuse the offer.",
    "Take the refuse to the bin.", "The content was clear.", "She was content with the result.",
    "I bow to the queen.", "She tied a bow in her hair.", "The sow fed her piglets.",
    "Farmers sow seeds in spring.", "Separate the eggs carefully.", "They live in separate houses.",
    "The invalid rested in bed.", "The ticket was invalid.", "He will subject them to tests.",
    "Math is my favourite subject.", "They project a profit.", "The project is late.",
]

NAMES = ["Alice", "Ben", "Carmen", "Dmitri", "Eleanor", "Farouk", "Grace", "Hiroshi", "Ingrid", "Jamal", "Katarina", "Liam", "Mei", "Nadia", "Oscar", "Priya"]
PLACES = ["Boston", "Leeds", "Toronto", "Dublin", "Seattle", "Manchester", "Denver", "Glasgow", "Austin", "Cardiff"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

def numbers():
    out = []
    for _ in range(30):
        n = random.choice([3, 12, 17, 42, 99, 101, 250, 1000, 1984, 2024, 12345, 1000000])
        out.append(random.choice([
            f"There were {n} people at the meeting.",
            f"The road is {n} miles long.",
            f"{random.choice(NAMES)} counted {n} birds before noon.",
        ]))
    for _ in range(30):
        dollars = random.randint(1, 999); cents = random.randint(0, 99)
        out.append(random.choice([
            f"The ticket cost ${dollars}.{cents:02d}.",
            f"She paid ${dollars} for the coat.",
            f"Lunch was £{dollars} with tax.",
            f"The fee is ${dollars},000 per year.",
        ]))
    for _ in range(30):
        m = random.choice(MONTHS); d = random.randint(1, 28); y = random.randint(1900, 2030)
        out.append(random.choice([
            f"The meeting is on {m} {d}, {y}.",
            f"{random.choice(NAMES)} was born in {y}.",
            f"We moved to {random.choice(PLACES)} on {m} {d}.",
        ]))
    for _ in range(30):
        h = random.randint(1, 12); mi = random.choice([0, 5, 15, 30, 45])
        out.append(random.choice([
            f"The train leaves at {h}:{mi:02d}.",
            f"Call me at {h}:{mi:02d} tomorrow.",
            f"The shop opens at {h} o'clock.",
        ]))
    return out

ABBREVIATIONS = [
    "Dr. Smith lives on Elm St. near the park.", "Mr. Jones and Mrs. Brown arrived late.",
    "Ms. Patel met Prof. Lee at noon.", "The U.S. and the U.K. signed the deal.",
    "The FBI and the CIA issued a statement.", "NASA launched a new rocket.",
    "The BBC reported the news at six.", "I sent the PDF by email.", "The CEO spoke to the board.",
    "He works for IBM in New York.", "The UN met in Geneva.", "Turn on the TV, please.",
    "My GPS lost the signal.", "We use HTML and CSS for the site.", "The DNA test came back.",
    "St. Paul's Cathedral is in London.", "Jr. and Sr. are parts of a name.", "She has a PhD in physics.",
    "The NHS needs more nurses.", "Meet me at the ATM on Main St.",
]

QUOTES = [
    'She said, "I will be there soon."', '"Wait for me," he called.', 'He whispered, "Don\'t tell anyone."',
    '"Is it raining?" she asked.', 'The sign read "No entry".', '"Yes," said Grace, "we can go."',
    "It's the dog's bone, not the cat's.", "They'll arrive when they're ready.", "I can't believe it isn't butter.",
    "We've been here since Monday.",
]

UNITS_AND_ROMAN = [
    "I ran 5 km this morning.", "Add 12 oz of flour to the bowl.", "The hum comes from the 60 Hz mains.",
    "The box weighs 3 kg.", "The speed limit is 30 mph.", "The file is 300 MB.",
    "Henry VIII had six wives.", "World War II ended in 1945.", "Queen Elizabeth II opened the bridge.",
    "Read Chapter IV before Monday.", "Louis XIV built a palace.", "Apollo XI landed on the moon.",
]

def names():
    out = []
    for _ in range(30):
        a, b = random.sample(NAMES, 2)
        out.append(random.choice([
            f"{a} met {b} in {random.choice(PLACES)}.",
            f"{a} and {b} walked home together.",
            f"Have you seen {a} today?",
        ]))
    return out

def main():
    sentences = []
    for text in PLAIN + HETERONYMS + numbers() + ABBREVIATIONS + QUOTES + names() + UNITS_AND_ROMAN:
        sentences.append({"text": text, "dialect": "en-us"})
    # A British share: every fourth sentence again with the British lexicon.
    british = [s["text"] for s in sentences[::4]]
    sentences += [{"text": t, "dialect": "en-gb"} for t in british]
    json.dump({"sentences": sentences}, open(sys.argv[1], "w"), indent=1, ensure_ascii=False)
    print(len(sentences), "sentences")

main()
