"""The words of after-action reports: observations written as SC units write them, from issue families with a long
tail of equipment, places, diseases and people, so that a search over a million of them finds common words often and
rare ones seldom. `Writer` composes one observation's fields from a seeded random generator: a seed gives the same
text. Used by `goldthread generate` and by the lessons search benchmark."""

import random
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Any

from goldthread.aars.models import Observation
from goldthread.core.catalogues import Dotmlpfp, ObjectiveType

# Issue families: (DOTMLPF-P domain, objective type, titles, observations, discussions, recommendations).
# Slots: {activity} {topic} {place} {country} {partner} {person} {tail} {n} {m} {days}. Every family reuses the
# common words of the trade (partner, unit, staff, days, planning conference), so some words match a large share of
# the index.
FAMILIES: list[tuple[str, str, list[str], list[str], list[str], list[str]]] = [
    (
        Dotmlpfp.PERSONNEL,
        ObjectiveType.INT,
        [
            "Too few interpreters for the {activity}",
            "Interpreters lacked {topic} terms",
            "Interpreter support to the {activity} worked well",
            "Contract interpreters arrived late at {place}",
        ],
        [
            "Only {n} interpreters were available for {m} training lanes during the {activity}.",
            "Interpreters hired through the embassy had no background in {topic} terminology.",
            "Partner staff brought their own interpreters, which doubled translation capacity at {place}.",
        ],
        [
            "The interpreter requirement was set at the initial planning conference, before the number of lanes grew.",
            "Terms such as {tail} were translated three different ways, and instructors repeated each block.",
            "Interpreters were paid through a contract that ended {days} days before the event closed.",
            "{person} of the partner staff checked every translation of the safety briefs himself.",
        ],
        [
            "Request one interpreter per lane at the final planning conference.",
            "Send the glossary of {topic} terms to the interpreters {days} days ahead of the event.",
            "Sustain the use of partner interpreters alongside contract interpreters.",
        ],
    ),
    (
        Dotmlpfp.POLICY,
        ObjectiveType.ACC,
        [
            "Diplomatic clearance for the aircraft was late",
            "Aircraft clearance request missed the {country} deadline",
            "Overflight clearance granted ahead of schedule",
        ],
        [
            "The diplomatic clearance for the {tail} flight was approved {days} hours before takeoff.",
            "{country} requires diplomatic clearance requests {days} days before arrival; the unit submitted in {n}.",
            "The defense attaché office obtained overflight clearance for all sorties in one request.",
        ],
        [
            "The aircraft tail numbers changed after the request was submitted, which restarted the clearance clock.",
            "Nobody at the unit owned the clearance request after the planning conference.",
            "The embassy's clearance desk works a five-day week, which the schedule ignored.",
        ],
        [
            "Submit diplomatic clearance requests {days} days out and track them on the readiness board.",
            "Name one clearance officer per event in the order.",
            "Keep the aircraft tail numbers fixed once the clearance request is submitted.",
        ],
    ),
    (
        Dotmlpfp.MATERIEL,
        ObjectiveType.ACC,
        [
            "Equipment held in customs for {days} days",
            "Customs paperwork for {tail} was incomplete",
            "Customs clearance at {place} went smoothly",
        ],
        [
            "{n} containers of training equipment were held by {country} customs at {place} for {days} days.",
            "The customs declaration listed the {tail} without serial numbers, and the shipment was refused.",
            "Partner liaison officers met the shipment at the port and customs released it the same day.",
            "{person} of the embassy's logistics section cleared the shipment through customs in person.",
        ],
        [
            "The packing lists were prepared from an old equipment list and did not match the containers.",
            "Customs brokers in {country} need the original documents, not scanned copies.",
            "The status of forces agreement exempts the equipment from duty, but only with the embassy's letter.",
        ],
        [
            "Send the customs documents to the embassy {days} days before the shipment leaves.",
            "Inventory every container against the packing list before it is sealed.",
            "Ask the partner unit for a liaison officer at the port of entry.",
        ],
    ),
    (
        Dotmlpfp.TRAINING,
        ObjectiveType.CAP,
        [
            "Range time lost to a safety stand-down",
            "Ammunition for the live fire arrived short",
            "The partner range at {place} met every safety standard",
            "Range control rules differ from U.S. practice",
        ],
        [
            "The range at {place} closed for {n} hours after a {tail} misfire, and two lanes did not run.",
            "Only {n} percent of the forecast ammunition was delivered to the range for the live fire.",
            "Partner range control applied its own surface danger zones, which were wider than ours.",
        ],
        [
            "The ammunition forecast was submitted after the theater deadline.",
            "Range safety officers from both armies had not rehearsed the misfire procedure together.",
            "The range schedule was shared with the partner staff only on arrival.",
        ],
        [
            "Rehearse the range safety brief with partner range control on the first day.",
            "Forecast ammunition {days} days ahead and confirm the delivery a week out.",
            "Sustain the combined range safety team.",
        ],
    ),
    (
        Dotmlpfp.FACILITIES,
        ObjectiveType.INT,
        [
            "Medevac plan untested before training began",
            "Casualty evacuation took {n} minutes",
            "Host nation hospital at {place} could not take trauma patients",
            "Medical rehearsal with partner medics",
        ],
        [
            "A simulated casualty at {place} reached the role 2 facility after {n} minutes instead of the planned {m}.",
            "The medevac helicopter could not land at the training area at night.",
            "Two soldiers were treated for {tail} and returned to duty after {days} days.",
        ],
        [
            "The nearest hospital able to take trauma patients is {n} kilometres away, on roads that flood.",
            "Partner medics and our medics used different casualty cards and radio nets.",
            "The medical threat brief did not mention {tail}.",
        ],
        [
            "Rehearse a medevac with partner medics before the first training day.",
            "Confirm a night landing zone for the medevac helicopter during the site survey.",
            "Add {tail} to the medical threat brief for {country}.",
        ],
    ),
    (
        Dotmlpfp.ORGANIZATION,
        ObjectiveType.REL,
        [
            "Partner staff were not part of the planning",
            "Partner unit changed its commander before the {activity}",
            "Combined staff worked well with {partner}",
            "Partner priorities differed from ours",
        ],
        [
            "{partner} staff officers joined the planning only at the final planning conference.",
            "The partner unit's commander changed {days} days before the {activity}, and the new one changed the plan.",
            "A combined staff cell with {n} officers from {partner} ran the {activity} from one room.",
        ],
        [
            "Our planners wrote the training objectives before asking the partner what it needed.",
            "The partner's staff rotates every summer, so the officers who planned the event had left.",
            "Working in one room built trust faster than daily coordination meetings.",
            "{person}, the partner's liaison officer, was the only one who knew both staffs' procedures.",
        ],
        [
            "Invite partner staff to the initial planning conference and agree the objectives with them.",
            "Record the partner's points of contact in the country folder and check them each rotation.",
            "Sustain the combined staff cell.",
        ],
    ),
    (
        Dotmlpfp.DOCTRINE,
        ObjectiveType.CAP,
        [
            "HADR coordination centre lacked a common picture",
            "Disaster response exercise exposed gaps in {topic}",
            "Civil-military coordination during the HADR scenario",
        ],
        [
            "During the HADR scenario the coordination centre tracked relief supplies on {n} separate spreadsheets.",
            "The disaster response plan of {country} assigns search and rescue to {n} different agencies.",
            "Relief agencies and the partner army met daily in the civil-military coordination centre at {place}.",
        ],
        [
            "The humanitarian assistance and disaster relief doctrine of the two armies names different lead agencies.",
            "Nobody owned the common operating picture, so each cell kept its own.",
            "The national disaster management office joined on the last day only.",
            "{person} of the national disaster management office led the coordination meetings.",
        ],
        [
            "Build the HADR scenario with the national disaster management office from the start.",
            "Agree one common operating picture and its owner before the exercise starts.",
            "Share the {tail} checklist with the partner's disaster response staff.",
        ],
    ),
    (
        Dotmlpfp.MATERIEL,
        ObjectiveType.ACC,
        [
            "Lodging at {place} fell through",
            "Ground transport could not move the whole unit",
            "Fuel and rations delivered on time",
            "Vehicle rental contract did not cover the training area",
        ],
        [
            "The hotel at {place} cancelled {n} rooms three days before arrival, and soldiers slept in the gym.",
            "The rented buses could carry {n} soldiers at a time, so each move took {m} trips.",
            "Class I and class III supplies arrived as planned throughout the {activity}.",
        ],
        [
            "The lodging was booked through the partner unit without a written agreement.",
            "The transportation plan assumed military vehicles that the partner had sent to a flood.",
            "The logistics support request reached the embassy {days} days late.",
        ],
        [
            "Book lodging through the embassy with a written contract.",
            "Plan ground transport for the whole unit in one lift, with a spare bus.",
            "Sustain the daily logistics synchronization meeting with the partner.",
        ],
    ),
    (
        Dotmlpfp.MATERIEL,
        ObjectiveType.INT,
        [
            "Radios could not talk to partner radios",
            "Communications plan ignored {tail} frequencies",
            "Cell phone coverage failed at {place}",
            "Combined communications net worked",
        ],
        [
            "Our {tail} radios could not net with the partner's radios, so runners carried messages.",
            "The frequencies assigned by {country} were not loaded in the radios until day {n}.",
            "There was no cell phone coverage at {place}, and the satellite phones had no airtime.",
        ],
        [
            "The frequency request went to the partner's signal staff, who needed {days} days to approve it.",
            "The communications plan was written from the last rotation's plan without checking the equipment.",
            "Partner and U.S. signal soldiers built the combined net together in two days.",
        ],
        [
            "Request frequencies at the initial planning conference.",
            "Bring interoperable radios or plan liaison teams with both sets.",
            "Buy satellite airtime before departure.",
        ],
    ),
    (
        Dotmlpfp.POLICY,
        ObjectiveType.REL,
        [
            "Funding arrived after the purchase deadline",
            "Contracting officer not available in {country}",
            "Funds could not pay for partner meals",
            "Fiscal law limits on partner participation",
        ],
        [
            "The funds for the {activity} were released {days} days before the start date.",
            "The unit could not contract for interpreters locally because no warranted contracting officer deployed.",
            "The authority the event was funded under does not allow paying for partner meals.",
        ],
        [
            "The funding request was sent under the wrong authority and had to be resubmitted.",
            "Fiscal law rules on partner participation were briefed to the staff only after the event began.",
            "The {tail} account closed at the end of the fiscal year with the purchase still open.",
        ],
        [
            "Have the resource manager confirm the authority at the initial planning conference.",
            "Deploy a contracting officer or arrange contracting support through the embassy.",
            "Brief fiscal law limits to the whole staff before the {activity}.",
        ],
    ),
    (
        Dotmlpfp.TRAINING,
        ObjectiveType.CAP,
        [
            "Heat casualties on the second day",
            "Monsoon rain cancelled {n} training days",
            "Weather plan kept training on schedule",
        ],
        [
            "{n} soldiers became heat casualties at {place} when the temperature reached {m} degrees.",
            "Monsoon rain flooded the training area and cancelled {n} days of field training.",
            "The weather plan moved classroom training forward when the rain came, and no day was lost.",
        ],
        [
            "The event was scheduled in the monsoon season because the partner's calendar was full otherwise.",
            "Soldiers arrived from winter training and had no time to acclimatize.",
            "Work-rest cycles were set by our standard, not by the heat category at {place}.",
        ],
        [
            "Schedule field training outside the monsoon season or plan indoor alternatives.",
            "Allow {days} days of acclimatization before strenuous training.",
            "Sustain the weather plan and its indoor alternatives.",
        ],
    ),
    (
        Dotmlpfp.POLICY,
        ObjectiveType.ACC,
        [
            "Status of forces questions at the checkpoint",
            "Weapons movement permit delayed",
            "Force protection posture was not agreed",
            "Legal status of soldiers unclear to local police",
        ],
        [
            "Local police at {place} detained a vehicle for {n} hours because the drivers had no permits.",
            "The permit to move weapons from the port to {place} took {days} days.",
            "The force protection condition set by the embassy differed from the unit's.",
        ],
        [
            "The status of forces agreement with {country} covers exercises, not this kind of {activity}.",
            "The legal annex was copied from another country's order.",
            "{tail} rules were not briefed to the drivers.",
        ],
        [
            "Have the staff judge advocate confirm the legal status for each event type.",
            "Request weapons movement permits at the final planning conference.",
            "Agree the force protection posture with the embassy before arrival.",
        ],
    ),
    (
        Dotmlpfp.LEADERSHIP,
        ObjectiveType.REL,
        [
            "Media visit was not coordinated with the embassy",
            "Partner press release named the wrong units",
            "Public affairs coverage reached a wide audience",
            "Key leader engagement produced commitments",
        ],
        [
            "Local media filmed the live fire at {place} without the embassy's knowledge.",
            "The partner's press release described the {activity} as a combat exercise.",
            "The key leader engagement with the commander of {partner} produced {n} commitments.",
        ],
        [
            "The public affairs guidance did not reach the company commanders.",
            "The partner's public affairs office was not part of the planning.",
            "Commitments made at the engagement were not recorded anywhere the next unit would find them.",
            "{person} promised the partner a follow-up visit, which no one scheduled.",
        ],
        [
            "Coordinate media access with the embassy public affairs office {days} days out.",
            "Write the commitments from key leader engagements into the country folder.",
            "Sustain combined public affairs planning.",
        ],
    ),
    (
        Dotmlpfp.PERSONNEL,
        ObjectiveType.ACC,
        [
            "Passports and visas not ready for {n} soldiers",
            "Official passports expired before travel",
            "Country clearance request submitted late",
            "Travel readiness tracked from the start",
        ],
        [
            "{n} soldiers could not travel because their official passports or visas were not ready.",
            "The country clearance request in APACS was submitted {days} days before travel, inside the window.",
            "Every traveler had a passport, visa and theater clearance {days} days before departure.",
        ],
        [
            "The personnel section started passport applications only after the manifest was final.",
            "Visa rules for {country} changed in the spring and nobody checked them.",
            "The {tail} training requirement was not in the travel checklist.",
        ],
        [
            "Start official passport applications as soon as the unit is tasked.",
            "Track every traveler's documents on the readiness board from tasking.",
            "Add {tail} to the travel checklist for {country}.",
        ],
    ),
]

# The long tail: equipment, systems, places, diseases and forms that a few observations name. Drawn with a Zipf
# law, so the first are common and the last appear in a few dozen observations of a million.
# Items of several words are written with "-" here to keep them one draw.
_TAIL = (
    "HMMWV LMTV Stryker JLTV M777 HIMARS Blackhawk Chinook C-130 C-17 SINCGARS PRC-117 PRC-152 Starlink Iridium "
    "dengue malaria leptospirosis typhoid chikungunya rabies schistosomiasis melioidosis scrub-typhus "
    "APACS ISOPREP SERE DTS GTCC NOTAM SOFA VFA EDCA ACSA LOA TCN JTR FMS IMET "
    "MILES DAGR JBC-P CPOF TIGR ATAK WIN-T DDS nine-line TCCC CLS "
    "carnet manifest bill-of-lading hazmat lithium-batteries generators tents bottled-water ice "
    "mefloquine doxycycline permethrin DEET snakebite antivenom leeches "
    "tabletop rehearsal-of-concept backbrief OPORD FRAGO annex-Q annex-V annex-K annex-R SITREP LOGSTAT "
    "typhoon earthquake tsunami landslide volcano cyclone drought cholera evacuation "
    "biometrics e-visa quarantine PCR vaccination yellow-fever Japanese-encephalitis "
    "culvert bridging gabion borehole latrine cistern chlorination desalination "
    "bulldozer excavator grader crane forklift reefer pallet ISU-90 463L "
    "sandbags concertina bunker helipad"
)
TAIL_ITEMS = [item.replace("-", " ") for item in _TAIL.split()]
# Partner and U.S. officers named in observations, a few hundred observations each at most.
PEOPLE = (
    (
        "Somchai Santos Wijaya Tanaka Kim Nguyen Rahman Bat-Erdene Tupou Faleolo Kaupa Silva Perera Thapa Chowdhury "
        "Sokha Phommachanh Reyes Dela-Cruz Suharto Prasetyo Watanabe Sato Park Lee Tran Pham Ganbaatar Naidu Ratu "
        "Koroi Latu Aiono Bautista Mendoza Aquino Hassan Ismail Razak Sharma Gurung Rana Karki Bandara Fernando "
        "Jayasuriya Hossain Ahmed Chea Vong Keomany Soares Guterres Ximenes Kila Waigani Ngiraingas Mori Halvorsen "
        "O'Brien Okafor Kowalski Martinez"
    )
    .replace("-", " ")
    .split()
)
RANKS = ["Major", "Captain", "Colonel", "Lieutenant Colonel", "Sergeant Major", "Warrant Officer"]
# Places, by country: where a training area, port or hospital is. Unlisted countries use their capital's name.
PLACES: dict[str, list[str]] = {
    "THA": ["Korat", "Lopburi", "Sattahip", "U-Tapao", "Kanchanaburi", "Chiang Mai", "Phitsanulok"],
    "PHL": ["Fort Magsaysay", "Crow Valley", "Subic Bay", "Clark", "Laur", "Zamboanga", "Palawan"],
    "IDN": ["Baturaja", "Cilandak", "Puncak", "Surabaya", "Lombok", "Bandung", "Makassar"],
    "JPN": ["Yausubetsu", "Aibano", "Takaharu", "Camp Zama", "Hokkaido"],
    "KOR": ["Pyeongtaek", "Camp Humphreys", "Rodriguez Range", "Pocheon"],
    "AUS": ["Shoalwater Bay", "Townsville", "Darwin", "Mount Bundey"],
    "MYS": ["Port Dickson", "Sandakan", "Kuala Lumpur", "Kota Belud"],
    "IND": ["Chaubatia", "Bikaner", "Joint Base Lewis-McChord", "Mahajan"],
    "VNM": ["Hanoi", "Da Nang", "Quang Tri"],
    "MNG": ["Five Hills", "Ulaanbaatar", "Tavan Tolgoi"],
    "KHM": ["Kampong Speu", "Phnom Penh"],
    "NPL": ["Panchkhal", "Kathmandu", "Birendra Peace Operations Training Centre"],
    "BGD": ["Rajendrapur", "Dhaka", "Chittagong"],
    "LKA": ["Minneriya", "Colombo", "Trincomalee"],
    "TLS": ["Baucau", "Dili", "Metinaro"],
    "FJI": ["Blackrock", "Nausori", "Suva"],
    "PNG": ["Lae", "Port Moresby", "Wewak"],
}
ACTIVITY_WORDS = {
    "FTX": "field training exercise",
    "CPX": "staff exercise",
    "SMEE": "expert exchange",
    "KLE": "key leader engagement",
    "STAFF_TALKS": "staff talks",
    "CONFERENCE": "seminar",
    "DME": "disaster management exchange",
    "HCA": "civic action project",
    "MTT": "mobile training team",
    "SPP": "state partnership exchange",
    "EXCHANGE": "liaison exchange",
    "SITE_SURVEY": "site survey",
    "PATHWAYS": "Pathways rotation",
}
TOPIC_WORDS = [
    "disaster response",
    "combat medicine",
    "aviation maintenance",
    "engineering",
    "logistics",
    "explosive ordnance disposal",
    "peacekeeping",
    "search and rescue",
    "NCO development",
    "tactical communications",
    "staff planning",
]
ROOT_CAUSES = [
    "The task had no owner after the planning conference.",
    "The last rotation's lessons were not read before planning started.",
    "The partner was not asked what it needed.",
    "The requirement was set before the event grew.",
    "The deadline of the host nation was not on the unit's calendar.",
]


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from `low` to `high`, as `rng.randint` draws but from one float: at these small ranges its
    bias is below one in a trillion, and it takes a third of the time, which counts at millions of values."""
    return low + int(rng.random() * (high - low + 1))


def _zipf_cum_weights(count: int, exponent: float) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank**exponent
        cumulative.append(total)
    return cumulative


TAIL_WEIGHTS = _zipf_cum_weights(len(TAIL_ITEMS), 1.1)
STAGES = (
    Observation.Stage.OBSERVED,
    Observation.Stage.VALIDATED,
    Observation.Stage.LESSON,
    Observation.Stage.RESOLVED,
    Observation.Stage.VERIFIED,
    Observation.Stage.DISMISSED,
)
STAGE_WEIGHTS = list(accumulate((60, 12, 12, 8, 5, 3)))
CHANNELS = list(Observation.Channel.values)[1:]  # all but none
PEOPLE_WEIGHTS = _zipf_cum_weights(len(PEOPLE), 1.3)


@dataclass
class EventFacts:
    """What observations of one event are written about and tagged with."""

    id: int
    end_date: date
    fiscal_year: int
    event_type: str
    country_iso: str
    country_name: str
    partners: list[tuple[int, str]]  # (organization id, short name)
    claims: list[tuple[int, str, str]]  # (claim id, objective type, indicator)


class Writer:
    """Composes observations from the issue families; one random generator, so a seed gives the same text."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def _fill(self, template: str, slots: dict[str, str]) -> str:
        if "{tail}" in template:
            slots["tail"] = self.rng.choices(TAIL_ITEMS, cum_weights=TAIL_WEIGHTS)[0]
        if "{person}" in template:
            name = self.rng.choices(PEOPLE, cum_weights=PEOPLE_WEIGHTS)[0]
            slots["person"] = f"{self.rng.choice(RANKS)} {name}"
        return template.format(**slots)

    def observation(self, event: EventFacts, *, published: bool = True) -> dict[str, Any]:
        """The fields of one observation of `event` (all but its report and uid). Until its report is published an
        observation stays observed: the lessons lifecycle starts on dissemination."""
        rng = self.rng
        domain, objective_type, titles, observed, discussed, recommended = rng.choice(FAMILIES)
        partner = rng.choice(event.partners) if event.partners and rng.random() < 0.8 else None
        places = PLACES.get(event.country_iso) or [event.country_name]
        slots = {
            "activity": ACTIVITY_WORDS.get(event.event_type, "event"),
            "topic": rng.choice(TOPIC_WORDS),
            "place": rng.choice(places),
            "country": event.country_name,
            "partner": partner[1] if partner else "the partner unit",
            "n": str(between(rng, 2, 12)),
            "m": str(between(rng, 13, 40)),
            "days": str(rng.choice((3, 5, 7, 10, 14, 21, 30, 45, 60, 90))),
        }
        claim = next((c for c in event.claims if c[1] == objective_type), None)
        if claim is None and event.claims and rng.random() < 0.5:
            claim = rng.choice(event.claims)
        critical = rng.random()
        criticality = (
            Observation.Criticality.CRITICAL
            if critical < 0.03
            else Observation.Criticality.SIGNIFICANT
            if critical < 0.2
            else Observation.Criticality.ROUTINE
        )
        stage = rng.choices(STAGES, cum_weights=STAGE_WEIGHTS)[0]
        if not published:
            stage = Observation.Stage.OBSERVED
        lesson = stage in (Observation.Stage.LESSON, Observation.Stage.RESOLVED, Observation.Stage.VERIFIED)
        analysis = {"root_cause": rng.choice(ROOT_CAUSES)} if rng.random() < 0.2 else {}
        return dict(
            title=self._fill(rng.choice(titles), slots)[:200],
            finding=Observation.Finding.SUSTAIN if rng.random() < 0.25 else Observation.Finding.IMPROVE,
            observation=self._fill(rng.choice(observed), slots),
            discussion=" ".join(self._fill(s, slots) for s in rng.sample(discussed, rng.randint(1, 2))),
            recommendation=self._fill(rng.choice(recommended), slots),
            claim_id=claim[0] if claim else None,
            objective_type=claim[1] if claim else objective_type,
            indicator=claim[2] if claim else "",
            partner_unit_id=partner[0] if partner else None,
            dotmlpfp=domain,
            criticality=criticality,
            channel=Observation.Channel.NONE
            if criticality == Observation.Criticality.ROUTINE
            else rng.choice(CHANNELS),
            analysis=analysis,
            stage=stage,
            corrective_action=self._fill(rng.choice(recommended), slots) if lesson else "",
            resolution="Done as recommended."
            if stage in (Observation.Stage.RESOLVED, Observation.Stage.VERIFIED)
            else "",
            verification="The next rotation reported no repeat." if stage == Observation.Stage.VERIFIED else "",
        )
