"""Static reference data for the demo: countries, constraints, organizations, plans, objectives, series.

Everything here is fictional or drawn from public sources (framework.md §5) and unclassified. Unit and office
names are public; statements, measures, targets and dates are invented for the demo. No real person appears.
"""

from datetime import date
from typing import NamedTuple

from goldthread.core.catalogues import Echelon, EventType

# fmt: off
# The tables below are laid out by hand, one record a line, so they read as tables.

# --- Countries (framework.md §5.1) -------------------------------------------------------------------------

# The 36 nations of the area of responsibility; names come from pycountry except where the override applies.
AOR_COUNTRIES: tuple[str, ...] = (
    "AUS", "BGD", "BTN", "BRN", "MMR", "KHM", "CHN", "FJI", "IND", "IDN", "JPN", "KIR",
    "LAO", "MYS", "MDV", "MHL", "FSM", "MNG", "NRU", "NPL", "NZL", "PRK", "PLW", "PNG",
    "PHL", "WSM", "SGP", "SLB", "KOR", "LKA", "THA", "TLS", "TON", "TUV", "VUT", "VNM",
)

# U.S. usage where it differs from both pycountry's name and its common_name.
NAME_OVERRIDES: dict[str, str] = {
    "MMR": "Burma (Myanmar)",
    "BRN": "Brunei",
    "FSM": "Micronesia (FSM)",
}

TREATY_ALLIES: frozenset[str] = frozenset({"AUS", "JPN", "PHL", "KOR", "THA"})


class ConstraintSpec(NamedTuple):
    country: str
    code: str
    title: str
    basis: str
    allowed_objective_types: tuple[str, ...]
    forbidden_event_types: tuple[str, ...]
    starts: date | None = None
    ends: date | None = None


CONSTRAINTS: tuple[ConstraintSpec, ...] = (
    ConstraintSpec(
        "CHN", "NDAA-FY2000-1201", "Military contact with the PLA limited to relationship building",
        "FY2000 NDAA §1201 limits on military-to-military contact",
        ("REL",), ("FTX", "CPX", "MTT", "PATHWAYS", "SITE_SURVEY"),
    ),
    ConstraintSpec(
        "THA", "COUP-2014", "Post-2014 coup restrictions on assistance to the Thai military",
        "Appropriations restriction on assistance after a military coup; policy review after 22 May 2014",
        ("REL", "INT", "ACC"), ("MTT",), date(2014, 5, 22), date(2019, 7, 16),
    ),
    ConstraintSpec(
        "MMR", "LIMITED-ENGAGEMENT", "Engagement with the Burmese military limited to dialogue",
        "U.S. sanctions policy and appropriations restrictions on assistance to the Burmese military",
        ("REL",), ("FTX", "CPX", "MTT", "HCA", "PATHWAYS", "SITE_SURVEY"),
    ),
    ConstraintSpec(
        "FJI", "COUP-2006", "Post-2006 coup restrictions on assistance to the RFMF",
        "Appropriations restriction on assistance after a military coup",
        ("REL",), ("FTX", "MTT", "CPX"), date(2006, 12, 5), date(2014, 9, 22),
    ),
    ConstraintSpec(
        "PRK", "NO-ENGAGEMENT", "No military engagement with North Korea",
        "U.S. policy and UN Security Council sanctions on the DPRK",
        (), tuple(EventType.values),
    ),
)

# --- Organizations (framework.md §5.4) --------------------------------------------------------------------


class OrgSpec(NamedTuple):
    short_name: str
    name: str
    echelon: str
    parent: str | None = None
    country: str | None = None


def _us(short_name: str, name: str, echelon: str, parent: str | None = None) -> OrgSpec:
    return OrgSpec(short_name, name, echelon, parent)


def _sco(short_name: str, country: str, name: str) -> OrgSpec:
    """A security cooperation office at an embassy; `country` is the host nation."""
    return OrgSpec(short_name, name, Echelon.SCO, "USINDOPACOM", country)


def _partner(short_name: str, country: str, name: str | None = None) -> OrgSpec:
    return OrgSpec(short_name, name or short_name, Echelon.PARTNER_UNIT, None, country)


E = Echelon
# Parents come before their children so the loader can resolve them in one pass.
ORGANIZATIONS: tuple[OrgSpec, ...] = (
    _us("OSD", "Office of the Secretary of Defense", E.NATIONAL),
    _us("DSCA", "Defense Security Cooperation Agency", E.AGENCY, "OSD"),
    _us("DKI APCSS", "Daniel K. Inouye Asia-Pacific Center for Security Studies", E.AGENCY, "DSCA"),
    _us("NGB", "National Guard Bureau", E.NATIONAL, "OSD"),
    _us("USINDOPACOM", "U.S. Indo-Pacific Command", E.COCOM, "OSD"),
    _us("USINDOPACOM J5", "USINDOPACOM Strategic Planning and Policy (J5)", E.AGENCY, "USINDOPACOM"),
    _us("USARPAC", "U.S. Army Pacific", E.ASCC, "USINDOPACOM"),
    _us("I Corps", "I Corps (Joint Base Lewis-McChord)", E.CORPS, "USARPAC"),
    _us("7th ID", "7th Infantry Division", E.DIVISION, "I Corps"),
    _us("1-2 SBCT", "1st Stryker Brigade Combat Team, 2nd Infantry Division", E.BRIGADE, "7th ID"),
    _us("2-2 SBCT", "2nd Stryker Brigade Combat Team, 2nd Infantry Division", E.BRIGADE, "7th ID"),
    _us("4-23 IN", "4th Battalion, 23rd Infantry Regiment", E.BATTALION, "2-2 SBCT"),
    _us("25th ID", "25th Infantry Division (Schofield Barracks)", E.DIVISION, "USARPAC"),
    _us("2-25 SBCT", "2nd Stryker Brigade Combat Team, 25th Infantry Division", E.BRIGADE, "25th ID"),
    _us("1-27 IN", "1st Battalion, 27th Infantry Regiment", E.BATTALION, "2-25 SBCT"),
    _us("3-25 IBCT", "3rd Infantry Brigade Combat Team, 25th Infantry Division", E.BRIGADE, "25th ID"),
    _us("2-35 IN", "2nd Battalion, 35th Infantry Regiment", E.BATTALION, "3-25 IBCT"),
    _us("25th CAB", "25th Combat Aviation Brigade", E.BRIGADE, "25th ID"),
    _us("11th Abn Div", "11th Airborne Division (U.S. Army Alaska)", E.DIVISION, "USARPAC"),
    _us("1-11 IBCT", "1st Infantry Brigade Combat Team, 11th Airborne Division", E.BRIGADE, "11th Abn Div"),
    _us("2-11 IBCT", "2nd Infantry Brigade Combat Team (Airborne), 11th Airborne Division", E.BRIGADE,
        "11th Abn Div"),
    _us("1-501 PIR", "1st Battalion (Airborne), 501st Infantry Regiment", E.BATTALION, "2-11 IBCT"),
    _us("USARJ", "U.S. Army Japan (Camp Zama)", E.DIVISION, "USARPAC"),
    _us("Eighth Army", "Eighth Army (Korea)", E.CORPS, "USARPAC"),
    _us("8th TSC", "8th Theater Sustainment Command", E.DIVISION, "USARPAC"),
    _us("130th Eng Bde", "130th Engineer Brigade", E.BRIGADE, "8th TSC"),
    _us("84th Eng Bn", "84th Engineer Battalion", E.BATTALION, "130th Eng Bde"),
    _us("9th MSC", "9th Mission Support Command (Army Reserve)", E.DIVISION, "USARPAC"),
    _us("18th MEDCOM", "18th Medical Command (Deployment Support)", E.BRIGADE, "USARPAC"),
    _us("94th AAMDC", "94th Army Air and Missile Defense Command", E.DIVISION, "USARPAC"),
    _us("311th Signal Cmd", "311th Signal Command (Theater)", E.DIVISION, "USARPAC"),
    _us("APC-IED Fusion Center", "Asia-Pacific Counter-IED Fusion Center", E.AGENCY, "USARPAC"),
    _us("USARPAC SMEE Team", "USARPAC subject-matter expert exchange team", E.TEAM, "USARPAC"),
    # National Guard states of the State Partnership Program; their partner nations are in SPP_PARTNERS.
    _us("Hawaii NG", "Hawaii National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Washington NG", "Washington National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Alaska NG", "Alaska National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Idaho NG", "Idaho National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Oregon NG", "Oregon National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Nevada NG", "Nevada National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Rhode Island NG", "Rhode Island National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Guam NG", "Guam National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("Montana NG", "Montana National Guard", E.NATIONAL_GUARD, "NGB"),
    _us("29th IBCT", "29th Infantry Brigade Combat Team (Hawaii ARNG)", E.BRIGADE, "Hawaii NG"),
    _us("1-299 CAV", "1st Squadron, 299th Cavalry Regiment (Hawaii ARNG)", E.BATTALION, "29th IBCT"),
    _sco("JUSMAGTHAI", "THA", "Joint U.S. Military Advisory Group Thailand"),
    _sco("JUSMAG-P", "PHL", "Joint U.S. Military Assistance Group Philippines"),
    _sco("ODC Indonesia", "IDN", "Office of Defense Cooperation Jakarta"),
    _sco("MDAO Japan", "JPN", "Mutual Defense Assistance Office Tokyo"),
    _sco("JUSMAG-K", "KOR", "Joint U.S. Military Affairs Group Korea"),
    _sco("DAO Canberra", "AUS", "Defense Attaché Office Canberra"),
    _sco("DAO Kuala Lumpur", "MYS", "Defense Attaché Office Kuala Lumpur"),
    _sco("ODC India", "IND", "Office of Defense Cooperation New Delhi"),
    _sco("DAO Hanoi", "VNM", "Defense Attaché Office Hanoi"),
    _sco("DAO Ulaanbaatar", "MNG", "Defense Attaché Office Ulaanbaatar"),
    _sco("DAO Phnom Penh", "KHM", "Defense Attaché Office Phnom Penh"),
    _sco("DAO Kathmandu", "NPL", "Defense Attaché Office Kathmandu"),
    _sco("ODC Dhaka", "BGD", "Office of Defense Cooperation Dhaka"),
    _sco("DAO Colombo", "LKA", "Defense Attaché Office Colombo"),
    _sco("DAO Dili", "TLS", "Defense Attaché Office Dili"),
    _sco("DAO Suva", "FJI", "Defense Attaché Office Suva"),
    _sco("DAO Port Moresby", "PNG", "Defense Attaché Office Port Moresby"),
    _sco("ODC Singapore", "SGP", "Office of Defense Cooperation Singapore"),
    _sco("DAO Beijing", "CHN", "Defense Attaché Office Beijing"),
    _sco("DAO Vientiane", "LAO", "Defense Attaché Office Vientiane"),
    _sco("DAO Wellington", "NZL", "Defense Attaché Office Wellington"),
    _partner("RTA Cavalry Center", "THA", "Royal Thai Army Cavalry Center"),
    _partner("RTA Aviation Center", "THA", "Royal Thai Army Aviation Center"),
    _partner("Philippine Army 7th ID", "PHL", "Philippine Army 7th Infantry Division"),
    _partner("Philippine Army CMO Regiment", "PHL", "Philippine Army Civil-Military Operations Regiment"),
    _partner("TNI-AD Kostrad", "IDN", "Indonesian Army Strategic Reserve Command (Kostrad)"),
    _partner("TNI PMPP", "IDN", "Indonesian National Armed Forces Peacekeeping Center"),
    _partner("JGSDF Northern Army", "JPN", "Japan Ground Self-Defense Force Northern Army"),
    _partner("JGSDF Middle Army", "JPN", "Japan Ground Self-Defense Force Middle Army"),
    _partner("ROK Army GOC", "KOR", "Republic of Korea Army Ground Operations Command"),
    _partner("Australian Army 1st Division", "AUS"),
    _partner("Malaysian Army 1st Division", "MYS", "Malaysian Army 1st Infantry Division"),
    _partner("Indian Army 9th Bn Rajput", "IND", "Indian Army 9th Battalion, Rajput Regiment"),
    _partner("VPA Peacekeeping Dept", "VNM", "Vietnam People's Army Department of Peacekeeping Operations"),
    _partner("MAF PKO Training Center", "MNG", "Mongolian Armed Forces Peace Support Operations Center"),
    _partner("RCAF NCPF", "KHM", "Royal Cambodian Armed Forces National Centre for Peacekeeping Forces"),
    _partner("Nepali Army BPOTC", "NPL", "Nepali Army Birendra Peace Operations Training Centre"),
    _partner("Bangladesh Army BIPSOT", "BGD", "Bangladesh Institute of Peace Support Operation Training"),
    _partner("Sri Lanka Army Engineers", "LKA", "Sri Lanka Army Engineer Brigade"),
    _partner("F-FDTL Land Component", "TLS", "Timor-Leste Defence Force Land Component"),
    _partner("RFMF 3FIR", "FJI", "Republic of Fiji Military Forces 3rd Battalion, Fiji Infantry Regiment"),
    _partner("PNGDF Engineer Bn", "PNG", "Papua New Guinea Defence Force Engineer Battalion"),
    _partner("HMAF Tonga", "TON", "His Majesty's Armed Forces (Tonga)"),
    _partner("Singapore Army 3rd Division", "SGP"),
    _partner("PLA Southern Theater Army", "CHN", "PLA Southern Theater Command Army"),
    _partner("Royal Brunei Land Force", "BRN"),
    _partner("MNDF", "MDV", "Maldives National Defence Force"),
    _partner("NZ Army 1st Brigade", "NZL", "New Zealand Army 1st Brigade"),
    _partner("Samoa DMO", "WSM", "Samoa Disaster Management Office"),
    _partner("Palau Public Safety", "PLW", "Palau Bureau of Public Safety"),
)
del E

# State Partnership Program pairs as of 2024 (framework.md §5.1). No model holds SPP pairs, so they live here.
SPP_PARTNERS: dict[str, tuple[str, ...]] = {
    "Alaska NG": ("MNG",),
    "Idaho NG": ("KHM",),
    "Hawaii NG": ("PHL", "IDN"),
    "Montana NG": ("LKA", "MDV"),
    "Nevada NG": ("TON", "FJI", "WSM"),
    "Oregon NG": ("BGD", "VNM"),
    "Rhode Island NG": ("TLS",),
    "Washington NG": ("MYS", "THA"),
    "Guam NG": ("PLW", "PHL"),
}

# Which U.S. units usually execute engagements in which countries (regional alignment; invented for the demo).
_SE_ASIA = ("25th ID", "2-25 SBCT", "3-25 IBCT", "1-27 IN", "2-35 IN")
_SOUTH_ASIA = ("I Corps", "7th ID", "2-2 SBCT", "1-2 SBCT", "4-23 IN")
_NORTH_ASIA = ("USARJ", "11th Abn Div", "1-11 IBCT", "2-11 IBCT", "1-501 PIR")
_OCEANIA = ("9th MSC", "130th Eng Bde", "84th Eng Bn", "29th IBCT")
ALIGNED_UNITS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("THA", "PHL", "IDN", "MYS", "SGP", "BRN", "VNM", "KHM", "LAO", "TLS"), _SE_ASIA),
    **dict.fromkeys(("IND", "NPL", "BGD", "LKA", "MDV", "BTN"), _SOUTH_ASIA),
    **dict.fromkeys(("JPN", "MNG"), _NORTH_ASIA),
    "KOR": ("Eighth Army",),
    "AUS": ("I Corps", "7th ID", "3-25 IBCT"),
    "NZL": ("I Corps", "25th ID"),
    "CHN": ("USARPAC",),
    **dict.fromkeys(("FJI", "TON", "WSM", "PNG", "SLB", "VUT", "FSM", "PLW", "MHL", "KIR", "NRU", "TUV"),
                    _OCEANIA),
}

# --- Event types (framework.md §5.2) ----------------------------------------------------------------------


class EventTypeProfile(NamedTuple):
    abbr: str  # used in event codes, e.g. EVT-2025-VNM-SM03
    days: tuple[int, int]
    objective_types: tuple[str, ...]  # the types an event of this kind usually serves, most typical first
    authority: str


EVENT_TYPES: dict[str, EventTypeProfile] = {
    EventType.FTX: EventTypeProfile("FTX", (10, 21), ("CAP", "INT", "ACC"), "Title 10 §321"),
    EventType.CPX: EventTypeProfile("CPX", (5, 12), ("INT", "CAP"), "Title 10 §321"),
    EventType.SMEE: EventTypeProfile("SM", (3, 8), ("CAP", "REL"), "Title 10 §321"),
    EventType.KLE: EventTypeProfile("KL", (1, 3), ("REL",), "Title 10 §312"),
    EventType.STAFF_TALKS: EventTypeProfile("ST", (2, 4), ("REL", "INT"), "Title 10 §312"),
    EventType.CONFERENCE: EventTypeProfile("CF", (2, 5), ("REL",), "Title 10 §312"),
    EventType.DME: EventTypeProfile("DME", (4, 7), ("REL", "CAP"), "Title 10 §321"),
    EventType.HCA: EventTypeProfile("HCA", (14, 35), ("REL", "ACC", "CAP"), "Title 10 §401 (HCA)"),
    EventType.MTT: EventTypeProfile("MTT", (7, 21), ("CAP",), "Title 10 §333"),
    EventType.SPP: EventTypeProfile("SPP", (4, 10), ("REL", "CAP"), "SPP (10 U.S.C. §341)"),
    EventType.EXCHANGE: EventTypeProfile("EX", (30, 120), ("REL", "INT"), "Title 10 §311"),
    EventType.SITE_SURVEY: EventTypeProfile("SS", (2, 5), ("ACC",), "Title 10 §321"),
    EventType.PATHWAYS: EventTypeProfile("PW", (45, 75), ("ACC", "INT"), "Title 10 §321"),
}

# Placeholders: {country}, {topic}, {Topic}, {state}, {fy}.
EVENT_NAMES: dict[str, str] = {
    EventType.FTX: "Combined company field training ({topic}), {country}",
    EventType.CPX: "Combined staff exercise ({topic}), {country}",
    EventType.SMEE: "{Topic} SMEE, {country}",
    EventType.KLE: "USARPAC senior leader engagement, {country}",
    EventType.STAFF_TALKS: "U.S.–{country} Army staff talks FY{fy}",
    EventType.CONFERENCE: "{Topic} seminar, {country}",
    EventType.DME: "Disaster management exchange, {country}",
    EventType.HCA: "Engineering and medical civic action, {country}",
    EventType.MTT: "{Topic} mobile training team, {country}",
    EventType.SPP: "{state}–{country} SPP {topic} exchange",
    EventType.EXCHANGE: "Liaison officer exchange, {country}",
    EventType.SITE_SURVEY: "Pre-deployment site survey, {country}",
    EventType.PATHWAYS: "Pacific Pathways rotation, {country}",
}

# topic -> (words for names and claims, the U.S. unit that usually executes it or None for the aligned one)
TOPICS: dict[str, tuple[str, str | None]] = {
    "hadr": ("disaster response", None),
    "medical": ("combat medicine", "18th MEDCOM"),
    "aviation": ("aviation maintenance", "25th CAB"),
    "engineering": ("engineering", "130th Eng Bde"),
    "logistics": ("logistics", "8th TSC"),
    "eod": ("explosive ordnance disposal", "APC-IED Fusion Center"),
    "pko": ("peacekeeping staff procedures", None),
    "sar": ("search and rescue", None),
    "nco": ("NCO development", None),
    "signal": ("tactical communications", "311th Signal Cmd"),
}


class Activity(NamedTuple):
    weight: int  # relative number of everyday (non-series) engagements a year
    event_types: tuple[str, ...]
    staff_talks: bool = False  # annual Army-to-Army staff talks


# Everyday engagement per country. MMR and PRK have none: the constraints leave nothing worth planning.
ACTIVITY: dict[str, Activity] = {
    "THA": Activity(4, ("SMEE", "KLE", "SPP", "EXCHANGE", "CPX", "MTT"), True),
    "PHL": Activity(5, ("SMEE", "KLE", "SPP", "HCA", "CPX", "MTT", "EXCHANGE"), True),
    "IDN": Activity(4, ("SMEE", "KLE", "SPP", "HCA", "MTT"), True),
    "JPN": Activity(3, ("SMEE", "KLE", "CPX", "EXCHANGE"), True),
    "KOR": Activity(2, ("KLE", "CPX", "SMEE"), True),
    "AUS": Activity(2, ("KLE", "SMEE", "EXCHANGE"), True),
    "MYS": Activity(3, ("SMEE", "KLE", "SPP", "MTT"), True),
    "IND": Activity(3, ("SMEE", "KLE", "EXCHANGE"), True),
    "VNM": Activity(3, ("SMEE", "KLE", "SPP", "HCA"), True),
    "MNG": Activity(3, ("SPP", "SMEE", "MTT"), True),
    "KHM": Activity(2, ("SPP", "HCA", "SMEE")),
    "NPL": Activity(2, ("SMEE", "MTT", "KLE")),
    "BGD": Activity(2, ("SPP", "SMEE", "HCA")),
    "LKA": Activity(2, ("SPP", "SMEE", "HCA")),
    "MDV": Activity(1, ("SPP", "SMEE")),
    "TLS": Activity(2, ("SPP", "HCA", "SMEE")),
    "FJI": Activity(2, ("SPP", "SMEE", "HCA")),
    "TON": Activity(1, ("SPP", "HCA")),
    "WSM": Activity(1, ("SPP",)),
    "PNG": Activity(2, ("HCA", "SMEE", "MTT")),
    "SGP": Activity(1, ("SMEE", "KLE")),
    "BRN": Activity(1, ("KLE", "SMEE")),
    "LAO": Activity(1, ("HCA", "KLE")),
    "PLW": Activity(1, ("SPP", "HCA")),
    "NZL": Activity(1, ("KLE", "SMEE")),
    "SLB": Activity(1, ("HCA",)),
    "VUT": Activity(1, ("HCA",)),
    "FSM": Activity(1, ("HCA",)),
    "CHN": Activity(1, ("KLE",)),
}

# --- Plans and the objective graph (framework.md §2.2, §5.6) ----------------------------------------------


class PlanSpec(NamedTuple):
    key: str
    name: str
    kind: str
    owner: str
    country: str | None
    period_start: date
    period_end: date


_FY23, _FY27 = date(2022, 10, 1), date(2027, 9, 30)
_NATIONAL = "NATIONAL_GUIDANCE"
COUNTRY_PLAN_COUNTRIES: tuple[str, ...] = ("THA", "PHL", "IDN", "MYS", "VNM", "IND", "MNG", "KHM", "NPL",
                                           "TLS")
PLANS: tuple[PlanSpec, ...] = (
    PlanSpec("NSS", "National Security Strategy (demo summary)", _NATIONAL, "OSD", None, _FY23, _FY27),
    PlanSpec("NDS", "National Defense Strategy (demo summary)", _NATIONAL, "OSD", None, _FY23, _FY27),
    PlanSpec("GEF", "Guidance for the Employment of the Force (demo summary)", _NATIONAL, "OSD", None,
             _FY23, _FY27),
    PlanSpec("TCP", "USINDOPACOM Theater Campaign Plan FY2023–FY2027", "TCP", "USINDOPACOM J5", None,
             _FY23, _FY27),
    PlanSpec("CSP", "USARPAC Theater Army Campaign Support Plan FY2023–FY2027", "CSP", "USARPAC", None,
             _FY23, _FY27),
    PlanSpec("EEP", "USARPAC Exercise and Engagement Program FY2023–FY2027", "OPERATIONAL", "USARPAC", None,
             _FY23, _FY27),
)  # the country plans are built from COUNTRY_PLAN_COUNTRIES


class ObjectiveSpec(NamedTuple):
    code: str
    level: int
    statement: str
    primary_type: str
    secondary_types: tuple[str, ...]
    parents: tuple[str, ...]
    country: str | None = None
    owner: str | None = None
    measure: str = ""
    target: str = ""
    target_date: date | None = None
    # Deliberately left without any event, so gap analysis has something to find.
    starved: bool = False


def _nat(code: str, statement: str, primary: str, secondary: tuple[str, ...]) -> ObjectiveSpec:
    return ObjectiveSpec(code, 0, statement, primary, secondary, (), owner="OSD")


def _tcp(code: str, statement: str, primary: str, secondary: tuple[str, ...],
         parents: tuple[str, ...]) -> ObjectiveSpec:
    return ObjectiveSpec(code, 1, statement, primary, secondary, parents, owner="USINDOPACOM J5")


def _imo(code: str, statement: str, primary: str, secondary: tuple[str, ...], parents: tuple[str, ...],
         starved: bool = False) -> ObjectiveSpec:
    return ObjectiveSpec(code, 2, statement, primary, secondary, parents, country=code.split("-")[1],
                         owner="USINDOPACOM J5", starved=starved)


def _csp(code: str, statement: str, primary: str, secondary: tuple[str, ...], parents: tuple[str, ...],
         owner: str, measure: str, target: str, by: date, starved: bool = False) -> ObjectiveSpec:
    country = code.split("-")[1]
    return ObjectiveSpec(code, 3, statement, primary, secondary, parents,
                         country=None if country == "RGN" else country, owner=owner,
                         measure=measure, target=target, target_date=by, starved=starved)


_END_FY26, _END_FY27 = date(2026, 9, 30), date(2027, 9, 30)
# Which national document each national goal comes from.
NATIONAL_PLAN: dict[str, str] = {"NAT-1": "NSS", "NAT-2": "NDS", "NAT-3": "GEF", "NAT-4": "NDS"}

OBJECTIVES: tuple[ObjectiveSpec, ...] = (
    _nat("NAT-1", "A free and open Indo-Pacific in which disputes are settled without coercion", "REL",
         ("ACC",)),
    _nat("NAT-2", "Allies and partners able to defend their sovereignty and share the burden of regional "
         "security", "CAP", ("INT",)),
    _nat("NAT-3", "U.S. forces able to deploy, operate and sustain across the Indo-Pacific in competition "
         "and crisis", "ACC", ("INT",)),
    _nat("NAT-4", "Military-to-military channels that reduce the risk of miscalculation with competitors",
         "REL", ()),
    _tcp("TCP-O1", "Treaty allies operate with U.S. forces in combined joint operations", "INT", ("ACC",),
         ("NAT-2", "NAT-3")),
    _tcp("TCP-O2", "Partners secure their own territory and maritime approaches", "CAP", ("INT",),
         ("NAT-2",)),
    _tcp("TCP-O3", "Allies and partners able to respond to regional disasters", "CAP", ("INT", "REL"),
         ("NAT-2", "NAT-1")),
    _tcp("TCP-O4", "Partners contribute trained units to UN peace operations", "CAP", ("INT",), ("NAT-2",)),
    _tcp("TCP-O5", "Assured access for U.S. forces throughout the theater", "ACC", (), ("NAT-3",)),
    _tcp("TCP-O6", "Durable relationships with partner military leaders across the region", "REL", (),
         ("NAT-1",)),
    _tcp("TCP-O7", "Contact with the PLA builds habits of communication within legal limits", "REL", (),
         ("NAT-4",)),
    _tcp("TCP-O8", "Pacific Island security forces resilient to disasters and able to police their own "
         "waters", "CAP", ("REL",), ("NAT-2",)),
    # Intermediate military objectives, per country.
    _imo("IMO-THA-1", "Royal Thai Army and U.S. Army sustain senior-leader dialogue and habitual unit "
         "partnerships", "REL", (), ("TCP-O6",)),
    _imo("IMO-THA-2", "Thai forces lead a combined HADR response with U.S. support", "CAP", ("INT",),
         ("TCP-O3",)),
    _imo("IMO-THA-3", "U.S. forces keep predictable access to Thai training areas, ports and airfields",
         "ACC", (), ("TCP-O5",)),
    _imo("IMO-PHL-1", "Philippine Army defends the archipelago's northern approaches", "CAP", ("INT",),
         ("TCP-O2",)),
    _imo("IMO-PHL-2", "Philippine and U.S. forces conduct combined joint operations", "INT", ("ACC",),
         ("TCP-O1",)),
    _imo("IMO-PHL-3", "U.S. forces have timely access to agreed locations in the Philippines", "ACC", (),
         ("TCP-O5",)),
    _imo("IMO-IDN-1", "TNI-AD trains and deploys peacekeeping battalions to UN standards", "CAP", ("INT",),
         ("TCP-O4", "TCP-O2")),
    _imo("IMO-IDN-2", "TNI-AD and U.S. Army plan and conduct combined HADR operations", "INT", ("CAP", "REL"),
         ("TCP-O3",)),
    _imo("IMO-JPN-1", "JGSDF and U.S. Army Japan command combined operations from a shared operating picture",
         "INT", (), ("TCP-O1",)),
    _imo("IMO-JPN-2", "U.S. Army forces can reinforce Japan through its ports and training areas", "ACC",
         ("INT",), ("TCP-O5",)),
    _imo("IMO-KOR-1", "ROK Army and Eighth Army sustain combined readiness", "INT", ("CAP",), ("TCP-O1",)),
    _imo("IMO-AUS-1", "Australian Army and U.S. Army operate as an integrated force in the region", "INT",
         ("ACC",), ("TCP-O1",)),
    _imo("IMO-MYS-1", "Malaysian Army conducts jungle and littoral operations with U.S. forces", "INT",
         ("CAP",), ("TCP-O2",)),
    _imo("IMO-MYS-2", "Malaysian Army leaders see the U.S. Army as their partner of choice", "REL", (),
         ("TCP-O6",)),
    _imo("IMO-IND-1", "Indian Army and U.S. Army operate together in HADR and high-altitude operations",
         "INT", ("REL",), ("TCP-O3",)),
    _imo("IMO-VNM-1", "Vietnam People's Army deploys UN peacekeeping engineer and medical units", "CAP",
         ("REL",), ("TCP-O4",)),
    _imo("IMO-VNM-2", "Vietnam People's Army and U.S. Army build trust through HADR and medical cooperation",
         "REL", (), ("TCP-O6",)),
    _imo("IMO-MNG-1", "Mongolian Armed Forces sustain UN deployments and a regional peacekeeping training "
         "centre", "CAP", ("INT",), ("TCP-O4",)),
    _imo("IMO-NPL-1", "Nepali Army prepares peacekeepers and responds to earthquakes with U.S. support",
         "CAP", ("REL",), ("TCP-O4", "TCP-O3")),
    _imo("IMO-KHM-1", "Royal Cambodian Armed Forces field peacekeeping and demining capacity", "CAP",
         ("REL",), ("TCP-O4",)),
    _imo("IMO-BGD-1", "Bangladesh Army sustains its peacekeeping training and disaster response", "CAP",
         ("REL",), ("TCP-O4",)),
    _imo("IMO-LKA-1", "Sri Lanka Army responds to floods and cyclones with its own engineer and medical "
         "units", "CAP", ("REL",), ("TCP-O3",)),
    _imo("IMO-TLS-1", "F-FDTL builds the institutions to sustain a small professional force", "CAP", ("REL",),
         ("TCP-O2",)),
    _imo("IMO-FJI-1", "RFMF sustains peacekeeping contributions and leads Pacific disaster response", "CAP",
         ("REL",), ("TCP-O8", "TCP-O4")),
    _imo("IMO-PNG-1", "PNGDF engineers respond to disasters across PNG's provinces", "CAP", (), ("TCP-O8",)),
    _imo("IMO-TON-1", "His Majesty's Armed Forces respond to cyclones and tsunamis", "CAP", ("REL",),
         ("TCP-O8",)),
    _imo("IMO-SGP-1", "Singapore remains a reliable hub for U.S. Army training and logistics", "ACC",
         ("INT",), ("TCP-O5",)),
    _imo("IMO-CHN-1", "PLA and U.S. Army keep a working-level disaster-management dialogue", "REL", (),
         ("TCP-O7",)),
    _imo("IMO-BRN-1", "Royal Brunei Land Force and U.S. Army establish a habitual jungle-training "
         "partnership", "REL", ("CAP",), ("TCP-O6",), starved=True),
    # Army (CSP) objectives: SMART, one owner each.
    _csp("CSP-THA-1.1", "Habitual partnership between a U.S. brigade and the RTA Cavalry Center sustained "
         "across rotations", "REL", (), ("IMO-THA-1",), "25th ID",
         "Consecutive years the same U.S. brigade and RTA unit train together", "3 consecutive years",
         _END_FY27),
    _csp("CSP-THA-2.1", "RTA brigade staff plans and runs a HADR response with U.S. Army support", "CAP",
         ("INT",), ("IMO-THA-2",), "USARPAC", "RTA brigade staff HADR plan quality (1-5 rubric)",
         "4 (baseline 2)", _END_FY27),
    _csp("CSP-THA-2.2", "RTA aviation units keep their helicopters ready with their own maintainers", "CAP",
         (), ("IMO-THA-2",), "Washington NG", "RTA utility helicopter operational readiness rate", "75%",
         _END_FY26),
    _csp("CSP-THA-3.1", "U.S. equipment clears Thai customs within planned lead times", "ACC", (),
         ("IMO-THA-3",), "8th TSC", "Days from arrival to customs release of U.S. vehicles",
         "3 days or fewer", _END_FY26),
    _csp("CSP-PHL-1.1", "Philippine Army brigades conduct coastal defense with organic fires and sensors",
         "CAP", ("INT",), ("IMO-PHL-1",), "25th ID",
         "Philippine Army brigades certified in coastal defense tasks", "3 brigades", _END_FY27),
    _csp("CSP-PHL-1.2", "Philippine Army civil-military units run disaster relief to a common standard",
         "CAP", ("REL",), ("IMO-PHL-1", "TCP-O3"), "Hawaii NG",
         "Civil-military units trained to the Philippine Army HADR standard", "12 units", date(2027, 3, 31)),
    _csp("CSP-PHL-2.1", "Philippine Army and U.S. Army share a combined mission-command network in exercises",
         "INT", (), ("IMO-PHL-2",), "I Corps", "Hours to establish the combined mission-command network",
         "48 hours or fewer", _END_FY26),
    _csp("CSP-PHL-2.2", "U.S. Army forces deploy to and sustain at agreed Philippine sites", "ACC", ("INT",),
         ("IMO-PHL-3", "IMO-PHL-2"), "8th TSC", "Days from request to host-nation site approval",
         "21 days or fewer", _END_FY27),
    _csp("CSP-IDN-1.1", "TNI-AD peacekeeping battalion staffs trained in UN force-headquarters procedures",
         "CAP", ("INT",), ("IMO-IDN-1",), "25th ID", "TNI-AD staff officers certified in UN staff procedures",
         "120 officers", _END_FY27),
    _csp("CSP-IDN-1.2", "TNI Peacekeeping Center certifies its own instructors", "CAP", (), ("IMO-IDN-1",),
         "Hawaii NG", "Instructors certified by the TNI Peacekeeping Center without U.S. instructors",
         "15 instructors", _END_FY26),
    _csp("CSP-IDN-2.1", "TNI-AD and U.S. Army use an agreed combined HADR coordination procedure", "INT",
         ("REL",), ("IMO-IDN-2",), "USARPAC", "Combined HADR procedure used unprompted in Garuda Shield",
         "Used in two successive iterations", _END_FY27),
    _csp("CSP-JPN-1.1", "JGSDF and U.S. Army staffs run combined corps-level planning from a shared picture",
         "INT", (), ("IMO-JPN-1",), "I Corps", "Yama Sakura combined planning tasks completed to standard",
         "90%", date(2027, 3, 31)),
    _csp("CSP-JPN-2.1", "U.S. Army units move into Japanese training areas on predictable timelines", "ACC",
         ("INT",), ("IMO-JPN-2",), "USARJ", "Days from request to training-area approval", "30 days or fewer",
         _END_FY26),
    _csp("CSP-KOR-1.1", "ROK Army and Eighth Army staffs certify combined division-level procedures", "INT",
         ("CAP",), ("IMO-KOR-1",), "Eighth Army", "Combined staff procedures certified",
         "All 12 core procedures", _END_FY27),
    _csp("CSP-AUS-1.1", "Australian and U.S. Army units exchange fires and sustainment in combined exercises",
         "INT", ("ACC",), ("IMO-AUS-1",), "I Corps", "Combined tasks with Australian fires or sustainment",
         "8 per Talisman Sabre", _END_FY27),
    _csp("CSP-MYS-1.1", "Malaysian Army and U.S. Army battalions execute combined jungle operations", "INT",
         ("CAP",), ("IMO-MYS-1",), "25th ID", "Combined jungle tasks executed to standard", "80%", _END_FY27),
    _csp("CSP-MYS-2.1", "Malaysian Army senior leaders meet U.S. Army counterparts at least twice a year",
         "REL", (), ("IMO-MYS-2",), "USARPAC", "Senior-leader engagements a year", "2 or more", _END_FY27),
    _csp("CSP-IND-1.1", "Indian Army and U.S. Army battalions execute combined HADR and high-altitude tasks",
         "INT", ("REL",), ("IMO-IND-1",), "11th Abn Div", "Combined tasks executed in Yudh Abhyas",
         "10 per iteration", _END_FY27),
    _csp("CSP-IND-1.2", "Indian Army and U.S. Army complete the actions agreed at staff talks", "REL",
         ("INT",), ("IMO-IND-1",), "USARPAC", "Agreed staff-talks actions completed within a year", "75%",
         _END_FY26),
    _csp("CSP-VNM-1.1", "A Vietnam People's Army engineer company is ready to deploy to a UN mission", "CAP",
         (), ("IMO-VNM-1",), "Oregon NG", "VPA engineer companies certified for UN deployment", "1 company",
         _END_FY27),
    _csp("CSP-VNM-2.1", "VPA and U.S. Army hold regular HADR and medical exchanges", "REL", ("CAP",),
         ("IMO-VNM-2",), "USARPAC", "Exchanges held a year", "3", _END_FY26),
    _csp("CSP-MNG-1.1", "The Mongolian peacekeeping training center trains rotations without U.S. "
         "instructors", "CAP", ("INT",), ("IMO-MNG-1",), "Alaska NG",
         "Share of pre-deployment courses taught by Mongolian instructors", "100%", _END_FY27),
    _csp("CSP-NPL-1.1", "Nepali Army runs a national earthquake-response exercise with U.S. observers", "CAP",
         ("REL",), ("IMO-NPL-1",), "I Corps", "Disaster-response exercise rating by combined evaluators",
         "Trained (T)", date(2027, 6, 30)),
    _csp("CSP-KHM-1.1", "RCAF peacekeeping centre certifies deploying demining and medical units", "CAP",
         ("REL",), ("IMO-KHM-1",), "Idaho NG", "RCAF units certified for UN deployment", "2 units a year",
         _END_FY27),
    _csp("CSP-BGD-1.1", "Bangladesh Army trains peacekeepers in protection of civilians to UN standards",
         "CAP", ("INT",), ("IMO-BGD-1",), "Oregon NG",
         "Pre-deployment courses with UN protection-of-civilians modules", "All courses", _END_FY27),
    _csp("CSP-LKA-1.1", "Sri Lanka Army engineers conduct flood response with organic equipment", "CAP", (),
         ("IMO-LKA-1",), "Montana NG", "Engineer companies trained in swift-water rescue", "4 companies",
         _END_FY26),
    _csp("CSP-LKA-1.2", "Sri Lanka Army medical corps runs mass-casualty triage to a common standard", "CAP",
         ("INT",), ("IMO-LKA-1",), "18th MEDCOM", "Field hospitals validated in mass-casualty triage",
         "3 hospitals", _END_FY27, starved=True),
    _csp("CSP-TLS-1.1", "F-FDTL NCO corps leads small-unit training", "CAP", ("REL",), ("IMO-TLS-1",),
         "Rhode Island NG", "F-FDTL NCOs completing the instructor course", "30 NCOs", _END_FY27),
    _csp("CSP-TLS-1.2", "F-FDTL logistics branch keeps its vehicle fleet serviceable", "CAP", (),
         ("IMO-TLS-1",), "8th TSC", "F-FDTL vehicle fleet serviceability", "70%", _END_FY27, starved=True),
    _csp("CSP-FJI-1.1", "RFMF engineers lead a Pacific disaster-response task force", "CAP", ("REL",),
         ("IMO-FJI-1",), "Nevada NG", "Regional disaster deployments led by RFMF engineers", "1 a year",
         _END_FY27),
    _csp("CSP-PNG-1.1", "PNGDF engineer battalion reopens disaster-hit roads with its own plant", "CAP", (),
         ("IMO-PNG-1",), "9th MSC", "Days to reopen a priority route after a landslide", "7 days or fewer",
         _END_FY27),
    _csp("CSP-TON-1.1", "HMAF runs its cyclone-response plan with Nevada Guard support", "CAP", ("REL",),
         ("IMO-TON-1",), "Nevada NG", "Cyclone-response plan exercised and rated", "Rated T/P", _END_FY26),
    _csp("CSP-SGP-1.1", "U.S. Army units train and sustain in Singapore on predictable timelines", "ACC",
         ("INT",), ("IMO-SGP-1",), "25th ID", "Days from request to Singapore training-area approval",
         "45 days or fewer", _END_FY27),
    _csp("CSP-CHN-1.1", "USARPAC and PLA counterparts hold an annual disaster-management exchange and stay "
         "in contact between them", "REL", (), ("IMO-CHN-1",), "USARPAC",
         "Exchanges held; named working-level contacts maintained", "1 a year; 4 contacts", _END_FY27),
    # Regional Army objectives: serve several countries at once.
    _csp("CSP-RGN-1", "Partner army leaders engage regularly in USARPAC-hosted multilateral fora", "REL", (),
         ("TCP-O6",), "USARPAC", "Partner armies sending a chief or deputy to PAMS", "20 of 28", _END_FY27),
    _csp("CSP-RGN-2", "A battalion task force deploys through three host nations per Pathways rotation with "
         "clearances on time", "ACC", ("INT",), ("TCP-O5", "TCP-O1"), "USARPAC",
         "Rotations with every host-nation clearance approved before line of departure", "2 of 2 a year",
         _END_FY27),
    _csp("CSP-RGN-3", "Regional partners field UN-ready peacekeeping staffs", "CAP", ("INT",), ("TCP-O4",),
         "USARPAC", "Partner staff officers certified in multinational PKO exercises", "200 a year",
         _END_FY27),
)

# Claimed when a country has no objective of its own that fits (or only starved ones).
FALLBACK_OBJECTIVE: dict[str, str] = dict.fromkeys(("WSM", "PLW", "SLB", "VUT", "FSM"), "TCP-O8")
DEFAULT_FALLBACK_OBJECTIVE = "CSP-RGN-1"

# --- Named exercise series (framework.md §5.3) ------------------------------------------------------------


class EventObjectiveSpec(NamedTuple):
    statement: str
    primary_type: str
    secondary_types: tuple[str, ...]
    measure: str
    target: str


class SeriesSpec(NamedTuple):
    abbr: str
    name: str
    event_type: str
    countries: tuple[str, ...]  # host first
    month: int
    day: int
    days: int
    executing: tuple[str, ...]  # rotates by year; "pathways" means the rotation's brigade
    partners: tuple[str, ...]
    supporting: tuple[str, ...]
    authority: str
    focus: str
    objectives: tuple[str, ...]  # first is the primary claim; ones for absent countries are dropped
    event_objective: EventObjectiveSpec | None = None
    every: int = 1  # years between iterations
    joins: tuple[tuple[str, int], ...] = ()  # (country, first fiscal year it takes part)
    site_survey: bool = False
    topic: str = "disaster response"  # what claim wording says partners learn or practise


_EO = EventObjectiveSpec
SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "GS", "Garuda Shield", "FTX", ("IDN",), 7, 6, 14, ("pathways",), ("TNI-AD Kostrad", "TNI PMPP"),
        ("Hawaii NG",), "Title 10 §321; GPOI",
        "a UN peacekeeping staff exercise, combined field training and a civic-assistance project",
        ("CSP-IDN-1.1", "CSP-IDN-2.1"),
        _EO("Run a combined UN peacekeeping staff exercise with TNI-AD battalion staffs", "CAP", ("INT",),
            "TNI-AD staff officers completing the UN staff exercise to standard", "40 officers"),
        joins=(("AUS", 2024), ("JPN", 2025)), site_survey=True,
        topic="UN peacekeeping staff procedures",
    ),
    SeriesSpec(
        "KS", "Keris Strike", "FTX", ("MYS",), 7, 6, 12, ("pathways",), ("Malaysian Army 1st Division",),
        ("Washington NG",), "Title 10 §321", "combined jungle operations at company and battalion level",
        ("CSP-MYS-1.1", "CSP-MYS-2.1"),
        _EO("Execute a combined battalion jungle operation with a Malaysian Army battalion", "INT", ("CAP",),
            "Combined jungle tasks executed to standard", "80%"),
        site_survey=True,
        topic="jungle operations",
    ),
    SeriesSpec(
        "OS", "Orient Shield", "FTX", ("JPN",), 7, 6, 14, ("pathways",), ("JGSDF Middle Army",), ("USARJ",),
        "Title 10 §321", "bilateral field training and multi-domain fires with the JGSDF",
        ("CSP-JPN-2.1", "CSP-JPN-1.1"),
        _EO("Move a battalion task force into a JGSDF training area and fire a combined live-fire", "ACC",
            ("INT",), "Days from arrival to first combined live fire", "5 days or fewer"),
        site_survey=True,
        topic="combined live fire",
    ),
    SeriesSpec(
        "SAL", "Salaknib", "FTX", ("PHL",), 2, 1, 14, ("pathways",), ("Philippine Army 7th ID",),
        ("Hawaii NG", "8th TSC"), "Title 10 §321", "army-to-army coastal defense and combined arms training",
        ("CSP-PHL-1.1", "CSP-PHL-2.1"),
        _EO("Certify a Philippine Army brigade in coastal defense tasks with U.S. fires integrated", "CAP",
            ("INT",), "Coastal defense tasks rated trained", "8 of 10"),
        site_survey=True,
        topic="coastal defense",
    ),
    SeriesSpec(
        "HG", "Hanuman Guardian", "FTX", ("THA",), 2, 1, 14, ("pathways",), ("RTA Cavalry Center",),
        ("Washington NG", "JUSMAGTHAI"), "Title 10 §321",
        "HADR, medical, search and rescue, aviation maintenance and staff planning",
        ("CSP-THA-2.1", "CSP-THA-1.1"),
        _EO("Conduct a combined HADR staff exercise with RTA brigade staff and log each interoperability "
            "friction point", "INT", ("CAP",), "RTA staff officers completing the combined staff exercise",
            "40"),
        site_survey=True,
        topic="HADR planning",
    ),
    SeriesSpec(
        "TB", "Tiger Balm", "FTX", ("SGP",), 2, 1, 12, ("pathways",), ("Singapore Army 3rd Division",), (),
        "Title 10 §321", "bilateral combined arms training and sustainment in Singapore",
        ("CSP-SGP-1.1",),
        _EO("Deploy, sustain and redeploy a company team through Singapore on the planned timeline", "ACC",
            ("INT",), "Days from request to training-area approval", "45 or fewer"),
        topic="combined arms training",
    ),
    SeriesSpec(
        "CG", "Cobra Gold", "FTX", ("THA", "SGP", "IDN", "MYS", "JPN", "KOR"), 2, 25, 14, ("I Corps",),
        ("RTA Cavalry Center",), ("JUSMAGTHAI", "8th TSC"), "Title 10 §321 (CJCS exercise program)",
        "joint and multinational field training, a staff exercise and civic assistance",
        ("CSP-THA-3.1", "CSP-THA-2.1", "CSP-RGN-1"),
        _EO("Stand up the I Corps forward headquarters in Thailand and run the combined staff exercise",
            "ACC", ("INT",), "Days from arrival to forward headquarters fully operational", "4 or fewer"),
        topic="joint HADR planning",
    ),
    SeriesSpec(
        "BK", "Balikatan", "FTX", ("PHL",), 4, 20, 18, ("25th ID", "I Corps"), ("Philippine Army 7th ID",),
        ("JUSMAG-P", "8th TSC", "94th AAMDC"), "Title 10 §321 (CJCS exercise program)",
        "joint combined arms, coastal defense and sustainment at agreed sites",
        ("CSP-PHL-2.2", "CSP-PHL-2.1"),
        _EO("Deploy and sustain a U.S. Army task force at two agreed Philippine sites", "ACC", ("INT",),
            "Days from request to site approval", "21 or fewer"),
        joins=(("AUS", 2024), ("JPN", 2026)), site_survey=True,
        topic="coastal defense and sustainment",
    ),
    SeriesSpec(
        "YS", "Yama Sakura", "CPX", ("JPN",), 12, 2, 10, ("I Corps",), ("JGSDF Northern Army",),
        ("USARJ", "311th Signal Cmd"), "Title 10 §321",
        "bilateral (later trilateral) corps-level staff exercise",
        ("CSP-JPN-1.1", "CSP-AUS-1.1"),
        _EO("Run combined corps-level planning from a shared operating picture", "INT", (),
            "Combined planning tasks completed to standard", "90%"),
        joins=(("AUS", 2024),),
        topic="corps-level planning",
    ),
    SeriesSpec(
        "YA", "Yudh Abhyas", "FTX", ("IND",), 9, 1, 14, ("11th Abn Div", "2-11 IBCT"),
        ("Indian Army 9th Bn Rajput",), ("ODC India",), "Title 10 §321",
        "combined HADR and high-altitude operations; hosts alternate between India and Alaska",
        ("CSP-IND-1.1",),
        _EO("Execute combined HADR and high-altitude tasks with an Indian Army battalion", "INT", ("REL",),
            "Combined tasks executed", "10"),
        topic="high-altitude HADR",
    ),
    SeriesSpec(
        "KQ", "Khaan Quest", "FTX", ("MNG", "JPN", "KOR", "IND", "NPL", "BGD", "FJI"), 6, 10, 14,
        ("Alaska NG",), ("MAF PKO Training Center",), ("DAO Ulaanbaatar",), "Title 10 §321; GPOI",
        "multinational UN peacekeeping training at Five Hills", ("CSP-MNG-1.1", "CSP-RGN-3"),
        _EO("Mongolian instructors lead the multinational peacekeeping training lanes", "CAP", ("INT",),
            "Training lanes led by Mongolian instructors", "All lanes"),
        topic="peacekeeping operations",
    ),
    SeriesSpec(
        "TS", "Talisman Sabre", "FTX", ("AUS", "JPN", "KOR", "NZL", "FJI", "PNG", "TON"), 7, 14, 21,
        ("I Corps", "3-25 IBCT"), ("Australian Army 1st Division",), ("8th TSC", "94th AAMDC"),
        "Title 10 §321 (CJCS exercise program)", "biennial joint and multinational warfighting exercise",
        ("CSP-AUS-1.1", "CSP-RGN-1"),
        _EO("Exchange fires and sustainment between Australian and U.S. Army units", "INT", ("ACC",),
            "Combined tasks with Australian fires or sustainment", "8"),
        every=2, site_survey=True,
        topic="combined fires and sustainment",
    ),
    SeriesSpec(
        "PR", "Pacific Resilience DME", "DME", ("CHN",), 11, 10, 5, ("USARPAC",),
        ("PLA Southern Theater Army",),
        ("DAO Beijing",), "Title 10 §321 (within FY2000 NDAA §1201 limits)",
        "side-by-side disaster-management discussion and a tabletop exercise", ("CSP-CHN-1.1",),
        _EO("Hold the exchange and record each working-level PLA contact made", "REL", (),
            "Named working-level contacts recorded", "4"),
        topic="disaster management",
    ),
    SeriesSpec(
        "SP", "Shanti Prayas", "FTX", ("NPL", "BGD", "LKA", "MNG", "KHM"), 3, 10, 14, ("I Corps", "9th MSC"),
        ("Nepali Army BPOTC",), ("DAO Kathmandu",), "GPOI", "multinational UN peacekeeping exercise",
        ("IMO-NPL-1", "CSP-RGN-3"),
        topic="peacekeeping operations",
    ),
    SeriesSpec(
        "AS", "Angkor Sentinel", "FTX", ("KHM",), 6, 1, 10, ("Idaho NG", "9th MSC"), ("RCAF NCPF",),
        ("DAO Phnom Penh",), "GPOI", "peacekeeping, demining and HADR training", ("CSP-KHM-1.1",),
        _EO("Certify an RCAF demining platoon for UN deployment", "CAP", (), "RCAF platoons certified", "1"),
        topic="demining",
    ),
    SeriesSpec(
        "PAMS", "Pacific Armies Management Seminar", "CONFERENCE", ("IDN",), 9, 8, 4, ("USARPAC",), (),
        ("DKI APCSS",), "Title 10 §312", "multilateral army leaders' seminar, co-hosted with a partner army",
        ("CSP-RGN-1",),
        topic="army management",
    ),
)
del _EO

# Pacific Pathways: two rotations a year, each chaining three series; the brigade rotates (framework.md §2.5).
PATHWAYS_ROTATIONS: dict[int, tuple[str, ...]] = {1: ("SAL", "HG", "TB"), 2: ("GS", "KS", "OS")}
PATHWAYS_BRIGADES: tuple[str, ...] = (
    "2-25 SBCT", "2-2 SBCT", "3-25 IBCT", "1-11 IBCT", "1-2 SBCT", "2-11 IBCT",
)
PATHWAYS_OBJECTIVE = "CSP-RGN-2"

# PAMS changes host each year; the PLA is invited in two of them (relationship-only claims).
PAMS_HOSTS: dict[int, str] = {2023: "PHL", 2024: "IND", 2025: "THA", 2026: "MYS", 2027: "JPN"}
PAMS_GUESTS: tuple[str, ...] = (
    "AUS", "BGD", "IDN", "KHM", "MNG", "NPL", "NZL", "SGP", "LKA", "VNM", "FJI", "TON",
)
PAMS_PLA_YEARS: frozenset[int] = frozenset({2025, 2026})

# Iterations that did not happen (fictional): series abbreviation -> fiscal years.
CANCELLED_ITERATIONS: dict[str, tuple[int, ...]] = {"PR": (2024,), "AS": (2025,)}

# --- Claim wording (framework.md §2.4) --------------------------------------------------------------------


class ClaimText(NamedTuple):
    expected_change: str  # placeholders: {partner}, {topic}, {country}
    indicator: str
    direction: str
    time_lag_months: int


CLAIM_TEXTS: dict[str, tuple[ClaimText, ...]] = {
    "REL": (
        ClaimText("{partner} leaders agree at least one follow-on engagement and name standing counterparts",
                  "Follow-on engagements requested by the partner (count a year)", "INCREASE", 3),
        ClaimText("The counterpart network with {partner} extends beyond the current rotation",
                  "Named partner counterparts with contact recorded in the country folder", "INCREASE", 6),
        ClaimText("{partner} proposes or hosts the next iteration itself",
                  "Partner-initiated engagement proposals", "INCREASE", 12),
        ClaimText("Working-level contact with {partner} continues between engagements",
                  "Months with at least one recorded working-level contact", "MAINTAIN", 0),
    ),
    "CAP": (
        ClaimText("{partner} instructors certified to teach {topic} without U.S. instructors",
                  "Partner instructors certified to standard", "INCREASE", 12),
        ClaimText("{partner} performs {topic} tasks to standard in the next iteration",
                  "Share of collective tasks rated trained by partner evaluators", "INCREASE", 12),
        ClaimText("{partner} adopts the {topic} procedures in its own doctrine or schoolhouse",
                  "Partner doctrine or course updated (yes/no, date)", "INCREASE", 24),
    ),
    "INT": (
        ClaimText("The combined staff completes the planning cycle with fewer friction points than last time",
                  "Interoperability friction points logged per iteration", "DECREASE", 0),
        ClaimText("U.S. and {partner} communications are linked within the first 48 hours",
                  "Hours to establish the combined mission-command network", "DECREASE", 0),
        ClaimText("{partner} staff use the agreed combined {topic} procedure unprompted",
                  "Combined procedure used unprompted (yes/no)", "INCREASE", 12),
    ),
    "ACC": (
        ClaimText("Customs and diplomatic clearances for U.S. equipment are completed within the planned "
                  "lead time", "Days from clearance request to approval", "DECREASE", 0),
        ClaimText("Validated data on {country} ports, airfields and training areas goes into the country "
                  "folder",
                  "Infrastructure records validated", "INCREASE", 0),
        ClaimText("Host-nation approval to use training areas in {country} arrives on a predictable timeline",
                  "Days from request to training-area approval", "DECREASE", 12),
    ),
}

ASSUMPTIONS: tuple[str, ...] = (
    "The partner keeps trained staff in post for at least two years.",
    "Exercise scale is not cut for policy reasons.",
    "Host-nation customs and clearance rules stay as they are.",
    "Partner leadership remains receptive to U.S. engagement.",
    "Funding for the follow-on iteration is approved.",
    "The same U.S. unit stays aligned with the partner for the next rotation.",
)

# --- Demo log-ins (core.roles.ROLES) ----------------------------------------------------------------------

DEMO_PASSWORD = "goldthread-demo"
# role -> (username, organization short name or None)
DEMO_USERS: dict[str, tuple[str, str | None]] = {
    "administrator": ("admin", "USARPAC"),
    "strategic_planner": ("planner", "USARPAC"),
    "desk_officer": ("desk", "USARPAC"),
    "unit_planner": ("unitplanner", "2-25 SBCT"),
    "executor": ("executor", "1-27 IN"),
    "assessor": ("assessor", "USARPAC"),
    "sco": ("sco", "JUSMAGTHAI"),
    "public_affairs": ("pao", "USARPAC"),
    "reader": ("reader", "USINDOPACOM J5"),
}
# role -> the countries its demo user answers for (User.countries): a desk officer's and an SCO's area
DEMO_USER_COUNTRIES: dict[str, list[str]] = {
    "desk_officer": ["THA", "PHL", "IDN", "MYS", "VNM"],
    "sco": ["THA"],
    "public_affairs": ["THA", "PHL"],
}
# fmt: on
