#!/usr/bin/env python3
"""Write the sample data sets that the app's "Open sample" button and the demo use.

Run ``python3 make_samples.py``; it (re)writes, next to itself: reviews.csv (300 labelled reviews),
reviews_to_label.csv (60 unlabelled, with 2 empty texts and one "=..." text), support_tickets_multilabel.csv
(300 messages, 1-3 topics joined by ";"), news_ner.conll (300 sentences, IOB2 PER/ORG/LOC/MISC),
product_faq_qa.csv (200 context/question/answer rows, answer a span of context) and reviews_zh.csv
(120 Chinese reviews, 正面/负面). reviews_zh.csv is deliberately encoded in GB18030, not UTF-8, to
exercise the app's encoding sniffing; everything else is UTF-8 without BOM. See README.md.

All text is invented here from templates and small vocabularies (no public data set is copied). One
random.Random(7) drives everything, so re-running gives byte-identical files. CSVs are written with the
csv module (QUOTE_MINIMAL, its default "\\r\\n" line ends). Standard library only, Python 3.11+.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
import random

HERE = Path(__file__).resolve().parent
rng = random.Random(7)


def words(s: str) -> list[str]:
    """Split a "|"-separated vocabulary string (keeps the lists below compact)."""
    return [w.strip() for w in s.split("|")]


DAYS = words("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday")
MONTHS = words("January|February|March|April|May|June|July|September|October|November")
FIRST = words("Maria|Tomas|Aiko|Kwame|Ingrid|Rafael|Leila|Dmitri|Nora|Samuel|Priya|Jonas|Chiara|Emeka|Hana|"
              "Mateo|Sofia|Yusuf|Elena|Oskar")
LAST = words("Okafor|Brennan|Castellano|Haddad|Novak|Takahashi|Mensah|Varga|Delacroix|Ferreira|Osei|Kowalczyk|"
             "Ibarra|Sorensen|Whitlock|Nakamura|Petrov|Adeyemi|Moreau|Lindgren")


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def person() -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def write_csv(name: str, header: list[str], rows: list[list], encoding: str = "utf-8") -> None:
    with open(HERE / name, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def unique(make, n: int, seen: set[str]) -> list:
    """Call make() until n results whose text (first element of a tuple) is new. Sets are only
    used for membership, never iterated, so string hash randomisation cannot change the output."""
    out = []
    while len(out) < n:
        item = make()
        key = item[0] if isinstance(item, tuple) else item
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# ---------------------------------------------------------------- 1 + 2: English reviews

PRODUCTS = words("headphones|kettle|backpack|phone case|desk lamp|water bottle|wireless mouse|keyboard|blender|"
                 "umbrella|yoga mat|power bank|rain jacket|coffee grinder|toaster|earbuds|running shoes|"
                 "office chair")
PLURAL = ("headphones", "earbuds", "running shoes")
REVIEW = {
    "positive": {
        "open": words("I love {this}!|Excellent {p}.|Really pleased with {this}.|Five stars.|Fantastic {p}.|"
                      "Best {p} I have ever owned.|So happy with {this}.|Brilliant purchase.|"
                      "Great {p}, no complaints."),
        "bit": words("works perfectly|build quality is superb|feels solid and well made|exactly what I needed|"
                     "worth every penny|exceeded my expectations|super easy to set up|great value for the money|"
                     "still going strong after {long}|quality is outstanding|really comfortable to use|"
                     "fast delivery and lovely packaging|does the job brilliantly|my whole family loves {it}|"
                     "looks even better than the photos"),
        "close": words("Would buy again.|Highly recommend!|Absolutely worth it.|Love {it}.|Very happy customer.|"
                       "Could not be happier.|Recommended to all my friends."),
        "emoji": ["😍", "👍", "🙌", "❤️"],
        "quoted": ['My kids call {it} "the good {p}", and honestly, they are right. Love {it}.',
                   'The listing promised "premium feel" and, for once, that was true. Excellent.',
                   'Ordered the "{colour}" version, it works perfectly and looks great.'],
    },
    "negative": {
        "open": words("Terrible {p}.|Really disappointed with {this}.|Awful.|One star.|Very poor {p}.|"
                      "Worst {p} I have ever bought.|Do not buy {this}.|What a letdown."),
        "bit": words("broke after {short}|stopped working after {short}|cheap plastic, feels flimsy|"
                     "terrible quality|a complete waste of money|arrived damaged and scratched|"
                     "nothing like the photos|customer service never replied|fell apart within {short}|"
                     "horrible chemical smell out of the box|the worst purchase I made this year|"
                     "badly made, bits keep falling off|useless, does not work at all|"
                     "already sent back for a refund"),
        "close": words("I want a refund.|Avoid.|Asking for my money back.|Would not recommend.|"
                       "Returning {it} tomorrow.|Very disappointed.|Total rubbish."),
        "emoji": ["😡", "👎", "😤", "🤬"],
        "quoted": ['Listing says "waterproof", but {it_is} NOT. Soaked on day one, I want a refund.',
                   'So-called "heavy duty" {p}, broke after {short}. Terrible.',
                   'Support told me to "just wait", so I waited, and it still broke. Refund please.'],
    },
    "neutral": {
        "open": words("It's fine.|Bought {this} last month.|Average {p}.|{It_is} {a_p}.|It is okay.|"
                      "No strong feelings about {this}.|Ordered {this} for work."),
        "bit": words("arrived on {day}|average, does what it says|nothing special, nothing wrong|"
                     "came in a plain cardboard box|colour is {colour} as pictured|have not used {it} much yet|"
                     "delivery took {n} days|about what you would expect for the price|okay for now|"
                     "size matches the description|replaces my old one|ordered the {colour} one|"
                     "instructions are a single page|neither good nor bad so far"),
        "close": words("Does the job.|We will see how {they} hold{s} up.|Nothing more to say.|"
                       "Might update this later.|It is what it is.|Fine for the price."),
        "emoji": ["🤷", "😐", "📦"],
        "quoted": ['Box says "model B-20", colour {colour}. Arrived on {day}.',
                   '{It_is} {a_p}, "as described", nothing more to add.'],
    },
}
SHAPES = ["{open} {Bit}. {close}", "{Bit}, {bit2}. {close}", "{open} {Bit}, and {bit2}.", "{open} {close}",
          "Bought {this} for {purpose}. {Bit}. {close}", "{Bit}. {Bit2}.", "{open} {Bit}.", "{Bit} - {bit2}.",
          "Got {this} {when}: {bit}, {bit2}."]
FILL = {"short": words("two days|a week|three weeks|a month|one use|ten days"),
        "long": words("six months|a year|two years|eight months"),
        "colour": words("black|grey|navy|sage green|white|red|sand"),
        "purpose": words("my daughter|the office|a camping trip|my commute|my dad's birthday|working from home"),
        "when": words("last week|a month ago|in the sale|on a whim|for Christmas")}


def slots(p: str) -> dict:
    pl = p in PLURAL
    d = {"p": p, "this": ("these " if pl else "this ") + p, "it": "them" if pl else "it",
         "a_p": p if pl else ("an " if p[0] in "aeiou" else "a ") + p,
         "it_is": "they are" if pl else "it is", "they": "they" if pl else "it", "s": "" if pl else "s",
         "day": rng.choice(DAYS), "n": rng.randint(2, 9)}
    d["It_is"] = cap(d["it_is"])
    return d | {k: rng.choice(v) for k, v in FILL.items()}


def review_text(sentiment: str, p: str) -> str:
    bank, f = REVIEW[sentiment], slots(p)
    b1, b2 = (b.format(**f) for b in rng.sample(bank["bit"], 2))
    parts = {"open": rng.choice(bank["open"]).format(**f), "close": rng.choice(bank["close"]).format(**f),
             "bit": b1, "Bit": cap(b1), "bit2": b2, "Bit2": cap(b2)}
    text = rng.choice(SHAPES).format(**parts, **f)
    r = rng.random()
    if r < 0.07:                                     # emoji
        text += rng.choice(["", " "]) + rng.choice(bank["emoji"])
    elif r < 0.13:                                   # one SHOUTED word
        ws = text.split()
        i = rng.choice([k for k, w in enumerate(ws) if len(w.strip(".,!:")) >= 4] or [0])
        ws[i] = ws[i].upper()
        text = " ".join(ws)
    elif r < 0.18:                                   # typed in a hurry
        text = text.lower().rstrip(".!")
    return text


def make_reviews(sentiment: str, n: int, seen: set[str], with_quoted: bool) -> list[tuple[str, str]]:
    rows = []
    for q in REVIEW[sentiment]["quoted"] if with_quoted else []:   # commas and "quotes" inside
        p = rng.choice(PRODUCTS)
        rows.append((q.format(**slots(p)), p))
        seen.add(rows[-1][0])

    def make():
        p = rng.choice(PRODUCTS)
        text = review_text(sentiment, p)
        return (text, p) if 5 <= len(text.split()) <= 30 else make()
    return rows + unique(make, n - len(rows), seen)


def write_reviews(seen: set[str]) -> None:
    rows = []
    for sentiment, n in (("positive", 120), ("negative", 120), ("neutral", 60)):
        rows += [(p, text, sentiment) for text, p in make_reviews(sentiment, n, seen, True)]
    rng.shuffle(rows)
    write_csv("reviews.csv", ["id", "product", "text", "sentiment"],
              [[i, *row] for i, row in enumerate(rows, start=1)])


def write_reviews_to_label(seen: set[str]) -> None:
    stars = {"positive": [4, 5, 5], "negative": [1, 1, 2], "neutral": [3]}
    rows = []
    for sentiment, n in (("positive", 24), ("negative", 22), ("neutral", 11)):
        rows += [(p, text, rng.choice(stars[sentiment])) for text, p in make_reviews(sentiment, n, seen, False)]
    # star-only ratings (empty text) and a formula-looking text for spreadsheet-injection handling
    rows += [("kettle", "", 4), ("umbrella", "", 2), ("desk lamp", "=great value, would buy again", 5)]
    rng.shuffle(rows)
    start = datetime.date(2026, 3, 1)
    dates = sorted(start + datetime.timedelta(days=rng.randint(0, 44)) for _ in rows)
    write_csv("reviews_to_label.csv", ["id", "date", "product", "text", "stars"],
              [[301 + i, d.isoformat(), p, t, s] for i, (d, (p, t, s)) in enumerate(zip(dates, rows))])


# ---------------------------------------------------------------- 3: support tickets (multi-label)

TOPICS = ["billing", "shipping", "product_defect", "account", "refund"]
TICKET = {
    "billing": words("I was charged twice for order #{order}.|the invoice for {month} shows the wrong amount.|"
                     "my card was billed ${amt} but the checkout said ${amt2}.|"
                     "could you send me a VAT invoice for order #{order}?|"
                     "there is a payment of ${amt} on my card statement that I don't recognise.|"
                     "my subscription renewed and charged my card without any warning.|"
                     "the discount code was not applied on the invoice.|"
                     "the payment failed at checkout but my bank still shows the charge.|"
                     "please update the company name and tax number on my invoices."),
    "shipping": words("my package still hasn't arrived, it has been {n} days.|"
                      "the tracking number for order #{order} doesn't work.|"
                      "the courier left the parcel at the wrong address.|"
                      "tracking has said 'out for delivery' since {day}.|"
                      "can I change the delivery address for order #{order}?|"
                      "the parcel was marked as delivered but nothing came.|"
                      "the courier never showed up on {day} even though I stayed home.|"
                      "how long does shipping to {country} usually take?|"
                      "the package is stuck at the depot according to tracking."),
    "product_defect": words("the {item} stopped working after {n} days.|the {item} is cracked along one side.|"
                            "the {item} makes a loud buzzing noise when it is on.|"
                            "one of the buttons on the {item} is stuck.|the {item} won't switch on anymore.|"
                            "the {item} was faulty right out of the box.|the kettle leaks from the bottom.|"
                            "the zip on my backpack snapped on the first use.|"
                            "the {item} overheats after a few minutes.|"
                            "the left side of my headphones has no sound, they must be defective."),
    "account": words("I can't log in to my account.|the password reset email never arrives.|"
                     "how do I change the email address on my account?|"
                     "my account was locked after too many login attempts.|"
                     "I'd like to delete my account and all my data.|"
                     "two-factor codes are not reaching my phone, so I can't sign in.|"
                     "someone else seems to have access to my account.|"
                     "I can't update my username in the profile settings.|"
                     "I signed up with the wrong email and need to merge two accounts."),
    "refund": words("I'd like a refund for order #{order}.|"
                    "I returned the item {n} days ago and still haven't received my refund.|"
                    "please refund me, I changed my mind.|when will my refund be processed?|"
                    "I want my money back.|can I get a refund instead of store credit?|"
                    "the refund you promised last week has not come through.|"
                    "I sent the return back on {day}, how long until the money is refunded?|"
                    "is it possible to get a partial refund and keep the item?"),
}
TICKET_ITEMS = words("kettle|desk lamp|power bank|blender|keyboard|toaster|coffee grinder")
GREETINGS = ["", "", "Hi,", "Hello,", "Hi there,", "Good morning,", "Hello team,"]
SIGN_OFFS = ["", "", "Thanks.", "Thank you!", "Please help.", "Cheers, {first}", "Regards, {name}",
             "This is really frustrating.", "Thanks in advance."]
JOINERS = [" ", " ", " Also, ", " On top of that, ", " And ", " Separately, ", " Plus "]


def ticket_clause(topic: str) -> str:
    amt = rng.randint(12, 240)
    return rng.choice(TICKET[topic]).format(
        order=rng.randint(10000, 99999), n=rng.randint(3, 21), day=rng.choice(DAYS), month=rng.choice(MONTHS),
        item=rng.choice(TICKET_ITEMS), amt=f"{amt}.99", amt2=f"{amt - 10}.99",
        country=rng.choice(["Canada", "Ireland", "Norway", "Portugal", "New Zealand"]))


def write_tickets() -> None:
    extras = [0] * 210 + [1] * 68 + [2] * 22        # 30 % with two or three topics
    rng.shuffle(extras)
    seen, rows = set(), []
    for i, k in enumerate(extras):
        first = TOPICS[i % len(TOPICS)]
        topics = [first] + rng.sample([t for t in TOPICS if t != first], k)

        def make():
            greet, name = rng.choice(GREETINGS), person()
            text = ticket_clause(topics[0])
            text = text if greet else cap(text)     # "Hi, the parcel ..." / "The parcel ..."
            for t in topics[1:]:
                j = rng.choice(JOINERS)
                text += j + (cap(ticket_clause(t)) if j == " " else ticket_clause(t))
            sign = rng.choice(SIGN_OFFS).format(name=name, first=name.split()[0])
            text = " ".join(s for s in (greet, text, sign) if s)
            return text.lower() if rng.random() < 0.05 else text
        rows.append([unique(make, 1, seen)[0], ";".join(t for t in TOPICS if t in topics)])
    rng.shuffle(rows)
    write_csv("support_tickets_multilabel.csv", ["text", "topics"], rows)


# ---------------------------------------------------------------- 4: NER (CoNLL, IOB2)

ENTITIES = {
    "ORG": words("Lindqvist Freight|Northbay Analytics|Corvin Steel Works|Halden Bank|Meridian Airways|"
                 "Okoro Pharmaceuticals|Bluewater Energy|Tessaro Foods|Greyfield Capital|Kestrel Motors|"
                 "Ashmore Insurance Group|Solvane Telecom|Valdoran Central Bank|Pinecrest Media|"
                 "Harbourline Logistics Ltd|Amberfield Council"),
    "CLUB": words("Redmere United|Valdora City|Estrel Wanderers|Kingsbridge FC|Carrow Athletic|"
                  "Port Harcourt Rovers"),
    "LOC": words("Port Harcourt|Valdora|New Corvin|Lake Tessel|Marrowby|Santa Brisa|Kelmar|Oslund|East Halden|"
                 "Cape Morrow|Estrelia|Rivenport|Norvik|San Aurelio|Dunmore Bay|Tarsk|Amberfield|Lagos|"
                 "Gothenburg"),
    "NAT": words("Valdoran|Estrelian|Kelmari|Nigerian|Swedish|Brazilian|Japanese|Norvikian"),
    "EVENT": words("Harbour Cup|Meridian Trade Summit|Rivenport Film Festival|Valdora Open|Coastal Games|"
                   "Northern Rowing Championships|Amberfield Book Fair"),
}
TAG_OF = {"PER": "PER", "ORG": "ORG", "CLUB": "ORG", "LOC": "LOC", "NAT": "MISC", "EVENT": "MISC"}
NER_TEMPLATES = words("PER , chief executive of ORG , said the company would open a new office in LOC .|"
                      "ORG shares rose {num} percent on {day} after the NAT regulator approved the merger .|"
                      "LOC will host the EVENT next {month} , organisers said .|"
                      "Police in LOC said PER had been released without charge .|"
                      "PER scored twice as CLUB beat CLUB {score} in LOC .|"
                      "The NAT government has appointed PER as ambassador to LOC .|"
                      "Talks between ORG and ORG resumed in LOC on {day} .|"
                      "PER , a spokesperson for ORG , declined to comment .|"
                      "Flights from LOC to LOC were cancelled because of heavy snow .|"
                      "ORG said it had hired PER to lead its operations in LOC .|"
                      "Thousands attended the EVENT in LOC on {day} .|"
                      "Heavy rain closes roads across northern LOC|PER wins EVENT title|"
                      "ORG to cut {num}0 jobs in LOC|"
                      "Speaking in LOC , PER said the NAT economy grew faster than expected .|"
                      "The report was written by PER and PER of ORG .|"
                      "PER 's new book will be published by ORG in {month} .|"
                      "A NAT court fined ORG {num} million euros on {day} .|"
                      "LOC and LOC signed a trade agreement at the EVENT .|"
                      "Former minister PER died on {day} in LOC , aged {age} .|"
                      "Shipping company ORG reported record profits for the year .|"
                      "PER , who grew up in LOC , joined ORG in {year} .|"
                      "Officials from ORG met NAT farmers near LOC on {day} .|"
                      "The NAT crew finished second at the EVENT behind a team from LOC .|"
                      "Asked about the delay , PER blamed suppliers in LOC .|"
                      "Residents of LOC complained about noise from the new ORG warehouse .|"
                      "Analysts at ORG expect fuel prices in LOC to fall in {month} .|"
                      "PER told reporters in LOC that talks with ORG had stalled .|"
                      "The concert in LOC was cancelled , ORG said in a statement .|"
                      "Coach PER praised the fans after the win over CLUB .|"
                      "NAT cyclist PER won the opening stage of the EVENT .|"
                      "Strikes at ORG halted traffic at the port of LOC on {day} .")


def entity_value(kind: str) -> str:
    if kind != "PER":
        return rng.choice(ENTITIES[kind])
    r = rng.random()                                 # surname only / first last / first initial. last
    if r < 0.15:
        return rng.choice(LAST)
    return person() if r < 0.9 else f"{rng.choice(FIRST)} {rng.choice('ABDEJKLMRST')}. {rng.choice(LAST)}"


def ner_sentence() -> tuple[str, list[tuple[str, str]]]:
    tpl = rng.choice(NER_TEMPLATES).format(
        num=rng.randint(2, 9), day=rng.choice(DAYS), month=rng.choice(MONTHS), age=rng.randint(58, 94),
        year=rng.randint(1995, 2024), score=rng.choice(["2-1", "3-0", "1-0", "3-2", "4-1"]))
    used, pairs = set(), []
    for tok in tpl.split(" "):
        if tok not in TAG_OF:
            pairs.append((tok, "O"))
            continue
        value = entity_value(tok)
        while value in used:                        # two ORGs/LOCs in one sentence must differ
            value = entity_value(tok)
        used.add(value)
        pairs += [(part, ("B-" if k == 0 else "I-") + TAG_OF[tok]) for k, part in enumerate(value.split(" "))]
    return " ".join(t for t, _ in pairs), pairs


def write_ner() -> None:
    with open(HERE / "news_ner.conll", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("-DOCSTART- O\n\n")
        for _, pairs in unique(ner_sentence, 300, set()):
            fh.write("".join(f"{tok} {tag}\n" for tok, tag in pairs) + "\n")


# ---------------------------------------------------------------- 5: extractive QA

QA_SLOTS = {k: words(v) for k, v in {
    "brand": "Halden|Norvik|Kestrel|Tessaro|Ashmore|Solvane|Pinecrest",
    "model": "K2|Arc 300|Nova|Mira 5|Luma|Drift|Halo X|Terra",
    "capacity": "1.7 litres|1.2 litres|1.5 litres|0.8 litres",
    "boil": "three minutes|four minutes|90 seconds|two and a half minutes",
    "colour": "matte black|sage green|cream|slate grey|burgundy|ocean blue|coral",
    "country": "Portugal|Poland|Vietnam|Mexico|Turkey|Taiwan|Estonia",
    "warranty": "two-year|three-year|five-year|one-year",
    "store": "Pinecrest Home|Northbay Outfitters|Tessaro Living|Kestrel Sports",
    "window": "30 days|14 days|60 days|28 days",
    "refund_to": "the original payment method|the card used at checkout|your gift card",
    "refund_time": "five working days|ten days|48 hours|three business days",
    "sale": "Spring Clearance|Black Friday|Summer|Boxing Day|Midnight Madness",
    "battery": "30 hours|40 hours|22 hours|55 hours", "quick": "ten minutes|five minutes|a quarter of an hour",
    "weight": "250 grams|198 grams|310 grams|275 grams",
    "launch": "12 March 2025|3 September 2024|28 January 2026|15 May 2025", "cutoff": "2 pm|noon|4 pm|11 am",
    "region": "Valdora|the Channel Islands|northern Estrelia|Cape Morrow",
    "deliv": "three to five working days|two days|up to a week|four working days",
    "price": "$6.50|$9.99|$12.00|$7.25", "threshold": "$50|$75|$40|$100",
    "courier": "Lindqvist Freight|Kestrel Express|Bluewater Parcel|Harbourline Logistics",
    "litres": "22 litres|28 litres|18 litres|32 litres", "laptop": "15 inches|16 inches|13 inches|14 inches",
    "fabric": "recycled polyester|waxed canvas|recycled nylon|organic cotton canvas",
    "levels": "five|six|seven|eight", "ctemp": "2700K to 6500K|3000K to 5000K|2500K to 6000K",
    "reach": "45 centimetres|60 centimetres|52 centimetres", "finish": "brushed brass|matte white|graphite",
    "plan": "Team|Studio|Plus|Pro|Business", "plan_price": "$12|$29|$49|$19",
    "seats": "three user seats|five user seats|ten user seats|two user seats",
    "cancel_at": "the end of the billing cycle|midnight on the same day|the next renewal date",
    "bill_month": "January|April|July|October",
    "team": "the Northbay support desk|a dedicated account manager|the Oslund service team",
    "city": "Rivenport|Marrowby|Dunmore Bay|Santa Brisa|Kelmar|New Corvin",
    "hours": "8 am to 6 pm|9 am to 5 pm|10 am to 7 pm|7:30 am to 4 pm",
    "repair_time": "three to five days|about a week|48 hours|up to ten working days",
    "closed": "24 December|2 January|15 August|1 May",
}.items()}
# (context, "slot: question | other wording" lines); {person} is drawn from the name pools
QA_TEMPLATES = [
    ("The {brand} {model} kettle holds {capacity} and boils a full jug in about {boil}. It comes in {colour} or "
     "brushed steel. The heating base is made in {country}, and every kettle ships with a {warranty} warranty.", """
capacity: How much water does the {brand} {model} kettle hold? | What is the kettle's capacity?
boil: How long does it take to boil a full jug? | How quickly does the kettle boil a full jug?
colour: What colour is the kettle sold in besides brushed steel? | Apart from steel, what colour can I get?
country: Where is the heating base made? | In which country is the base manufactured?
warranty: What warranty comes with the {model} kettle? | How long is the kettle's warranty?"""),
    ("{store} accepts returns within {window} of delivery. Refunds go back to {refund_to} within {refund_time}. "
     "Items bought in the {sale} sale can be exchanged but not refunded. Questions about returns are handled "
     "by {person}, our customer care lead.", """
window: How long do I have to return an item to {store}? | Within what period are returns accepted?
refund_to: Where do refunds go? | Where is the money sent when a refund is made?
refund_time: How long does a refund take? | How soon will I see my refund?
sale: Which sale's items cannot be refunded? | Items from which sale can only be exchanged?
person: Who handles questions about returns? | Who is the customer care lead at {store}?"""),
    ("The {brand} {model} headphones last up to {battery} on a single charge, and charging for {quick} adds "
     "roughly two hours of playback. They weigh {weight} and are available in {colour}. The model went on sale "
     "on {launch}.", """
battery: How long does the battery last on one charge? | What is the battery life of the {model}?
quick: How long do I need to charge for two extra hours of playback? | How long is a quick charge?
weight: How much do the headphones weigh? | What is the weight of the {model} headphones?
colour: What colour are the {model} headphones available in? | Which colour do they come in?
launch: When did the {model} go on sale? | What was the launch date of the headphones?"""),
    ("Orders placed before {cutoff} on a weekday are dispatched the same day. Standard delivery to {region} "
     "takes {deliv}, while express delivery costs {price}. All parcels are carried by {courier}. Orders over "
     "{threshold} ship free of charge.", """
cutoff: What is the cut-off time for same-day dispatch? | By what time must I order for same-day dispatch?
deliv: How long does standard delivery to {region} take? | How long is standard delivery?
price: How much does express delivery cost? | What is the price of express delivery?
courier: Which courier carries the parcels? | Who delivers the orders?
threshold: Above what order value is shipping free? | How much do I need to spend for free shipping?"""),
    ("The {brand} {model} backpack has a main compartment of {litres} and a padded sleeve for laptops up to "
     "{laptop}. It is made from {fabric} and sewn in {country}. This season it is sold only in {colour}.", """
litres: How big is the main compartment? | What is the capacity of the {model} backpack?
laptop: What is the largest laptop the sleeve fits? | Up to what size of laptop fits in the sleeve?
fabric: What is the backpack made from? | Which material is used for the {model}?
country: Where is the backpack sewn? | In which country is the backpack made?
colour: What colour is the backpack sold in this season? | Which colour is available?"""),
    ("The {brand} {model} desk lamp offers {levels} brightness levels and a colour temperature range of {ctemp}. "
     "Its arm reaches {reach} from the base. The lamp was designed by {person} and is finished in {finish}.", """
levels: How many brightness levels does the lamp have? | How many brightness settings are there?
ctemp: What colour temperature range does the lamp cover? | What is the colour temperature range?
reach: How far does the arm reach? | What is the reach of the lamp's arm?
person: Who designed the {model} lamp? | Who is the designer of the lamp?
finish: What finish does the lamp come in? | What is the lamp finished in?"""),
    ("The {plan} plan costs {plan_price} per month and includes {seats}. You can cancel at any time from the "
     "Account page, and cancellation takes effect at {cancel_at}. Annual plans are billed each {bill_month}. "
     "Business customers get priority support from {team}.", """
plan_price: How much does the {plan} plan cost per month? | What is the monthly price of the {plan} plan?
seats: How many seats does the {plan} plan include? | What is included in the {plan} plan?
cancel_at: When does a cancellation take effect? | If I cancel, when does it become effective?
bill_month: In which month are annual plans billed? | When are annual plans charged?
team: Who provides priority support to business customers? | Where does priority support come from?"""),
    ("Our repair centre in {city} is open from {hours} on weekdays. Most repairs take {repair_time}, and the "
     "workshop is run by {person}. Please bring your receipt and the original packaging if you still have it. "
     "The centre closes for stocktaking on {closed}.", """
city: Where is the repair centre? | In which city is the repair centre located?
hours: What are the weekday opening hours? | When is the repair centre open on weekdays?
repair_time: How long do most repairs take? | How long will a typical repair take?
person: Who runs the workshop? | Who is in charge of the repair workshop?
closed: When does the centre close for stocktaking? | On what date is the centre closed for stocktaking?"""),
]


def write_qa() -> None:
    rows, seen = [], set()
    for tpl, qlines in QA_TEMPLATES:
        questions = {s.strip(): words(q) for s, q in (ln.split(":", 1) for ln in qlines.strip().splitlines())}
        for _ in range(5):                          # 8 templates x 5 = 40 contexts, 5 questions each
            while True:                             # every answer must occur exactly once in its context
                vals = {k: rng.choice(v) for k, v in QA_SLOTS.items()} | {"person": person()}
                context = tpl.format(**vals)
                if context not in seen and all(context.count(vals[s]) == 1 for s in questions):
                    seen.add(context)
                    break
            for slot, variants in questions.items():
                answer = vals[slot]
                assert answer in context and 1 <= len(answer.split()) <= 6, (answer, context)
                rows.append([context, rng.choice(variants).format(**vals), answer])
    write_csv("product_faq_qa.csv", ["context", "question", "answer"], rows)


# ---------------------------------------------------------------- 6: Chinese reviews (GB18030)

ZH_PRODUCTS = words("耳机|电水壶|背包|手机壳|台灯|鼠标|键盘|充电宝|雨伞|保温杯|蓝牙音箱|数据线")
ZH = {"正面": {"q": words("质量很好|做工很精致|手感很好|性价比很高|颜色很好看，和图片一样|比想象中还要好|"
                          "用起来很顺手|外观简洁大方"),
               "f": words("非常喜欢|很满意|家人也很喜欢|物流很快，包装也很好|用了一个月了，没有任何问题|"
                          "客服很耐心"),
               "end": words("会回购的。|推荐购买！|五星好评！|下次还来这家买。|满意！|值得入手。")},
      "负面": {"q": words("质量太差了|用了两天就坏了|做工很粗糙|和描述完全不符|有一股很大的异味|"
                          "收到的时候外壳已经裂了|细节处理得很差|用了一周就坏了"),
               "f": words("很失望|客服态度很差，一直不回复|完全是浪费钱|物流很慢，包装也破了|感觉被骗了"),
               "end": words("已经申请退货了。|不推荐购买。|要求退款。|再也不会买了。|差评！|准备退货。")}}
ZH_SHAPES = ["{p}{q}，{f}，{end}", "这个{p}{q}。{f}。", "买给{who}的{p}，{q}，{end}", "{q}！{f}。{end}",
             "{p}收到了，{q}，{f}。", "第二次买这家的{p}了，{q}，{end}"]


def write_reviews_zh() -> None:
    rows = []
    for label, bank in ZH.items():
        def make():
            return rng.choice(ZH_SHAPES).format(p=rng.choice(ZH_PRODUCTS), who=rng.choice(["家人", "孩子", "同事"]),
                                                **{k: rng.choice(v) for k, v in bank.items()})
        rows += [[text, label] for text in unique(make, 60, set())]
    rng.shuffle(rows)
    write_csv("reviews_zh.csv", ["评论", "情感"], rows, encoding="gb18030")


def main() -> None:
    seen: set[str] = set()                          # no review text repeats across the two review files
    write_reviews(seen)
    write_reviews_to_label(seen)
    write_tickets()
    write_ner()
    write_qa()
    write_reviews_zh()
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir() if p.suffix in (".csv", ".conll"))))


if __name__ == "__main__":
    main()
