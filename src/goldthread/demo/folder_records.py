"""Demo country folders: every section of every AOR country, each with its first revision. The text is fictional
but plausible; Thailand's is richer and has a second revision to compare. Every fourth country's folder was last
verified long ago, so staleness has something to flag.

A bulk import (docs/decisions/0007-demo-loader-writes-directly.md): the sections, revisions and search entries are
written as the folder services' edits would leave them, without a permission check and an audit entry per edit.
"""

from datetime import date, timedelta

from django.utils import timezone

from goldthread.core.models import User
from goldthread.core.records import save_changes
from goldthread.demo.rules import valid
from goldthread.folders.models import Contact, Observance, Revision, Section
from goldthread.search import documents, index
from goldthread.strategy.models import Country, Organization

TEXT = {
    Section.Key.OVERVIEW: """## Partner military
The {name} armed forces are organized into an army, a navy and an air force under a joint staff. The army is the
senior service and the main partner for U.S. Army engagements.

- Main partner units: the units named on each event record.
- Working language with U.S. units: English at staff level; interpreters needed below battalion.
- Priorities the partner states: disaster response, peacekeeping readiness, professional military education.""",
    Section.Key.ENTRY: """## Entry and clearance
- **Passport:** official (no-fee) passport for all official travel; allow 30 business days, more in summer.
- **Visa:** {visa}.
- **Country clearance:** APACS request at least 30 days before travel; the {sco} approves.
- **Theater clearance:** through APACS with the country clearance.
- **Required training:** AT Level 1, human rights awareness, SERE 100.2, ISOPREP; completion dates go into APACS.""",
    Section.Key.LOGISTICS: """## Logistics
- **Lodging:** contracted hotels near the exercise area; partner barracks for field phases.
- **Transport:** partner buses between the airport and the exercise area; no self-drive.
- **Communications:** U.S. cell phones roam; no classified communications off the compound.
- **Medical:** the nearest host-nation military hospital is the role 2 facility; bring a 30-day supply of medication.
- **Customs for equipment:** an equipment list to the {sco} 45 days before arrival.""",
    Section.Key.CULTURE: """## Culture and protocol
- Greet senior officers first; exchange cards with both hands.
- Gifts: small unit items are welcome; nothing above the gift limit, and record every gift received.
- Dress: service uniform for office calls; modest civilian dress off duty.
- Religious observances: check the calendar section before scheduling.""",
    Section.Key.LEGAL: """## Legal status
- Status of U.S. forces: {sofa}.
- Foreign disclosure: release of training materials needs the foreign-disclosure officer's approval.
- Vetting: partner units receiving training are Leahy-vetted through the embassy; allow 10 weeks.""",
    Section.Key.CONTACTS: """## Contacts
The {sco} is the first point of contact for every engagement. The previous executing unit's planner is listed on
each event's executor packet.""",
    Section.Key.CALENDAR: """## Calendar
Public holidays come from the holiday library and are listed below. The training year runs October to September;
the partner avoids field training in the wet season.""",
    Section.Key.OPEN_ISSUES: """## Open issues
- Confirm the training area for next year's exercise.
- Answer the partner's request for a staff planning workshop.""",
}

THAILAND = {
    "visa": "not required for official travel of up to 90 days on an official passport",
    "sofa": "no SOFA; a visiting-forces arrangement is agreed per exercise through diplomatic notes",
}
DEFAULTS = {
    "visa": "required; apply through the embassy with the official passport, allow up to 3 months",
    "sofa": "no standing agreement; status is agreed per event through diplomatic notes",
}


def load_folders(today: date) -> int:
    """Write the folders that do not exist yet. Returns how many sections exist."""
    planner = User.objects.get(username="planner")
    desk = User.objects.filter(username="desk").first()
    sco_user = User.objects.filter(username="sco").first()
    desk_countries = set(desk.countries.values_list("iso3", flat=True)) if desk else set()
    written = set(Section.objects.values_list("country_id", flat=True))
    offices: dict[int, Organization] = {}
    for office in Organization.objects.filter(echelon="SCO"):  # by short name: a country's first is its office
        offices.setdefault(office.country_id, office)
    verified = timezone.localdate()  # as editing a section verifies it, on the wall clock
    sections, contacts = [], []
    for number, country in enumerate(Country.objects.filter(in_aor=True).order_by("iso3")):
        if country.pk in written:
            continue
        office = offices.get(country.pk)
        words = {"name": country.name, "sco": office.short_name if office else "defense attaché office"}
        words |= THAILAND if country.iso3 == "THA" else DEFAULTS
        for key, text in TEXT.items():
            owner = sco_user if country.iso3 == "THA" and key in ("entry", "contacts") else None
            sections.append(
                Section(
                    country=country,
                    key=key,
                    text=text.format(**words),
                    number=1,
                    # Every fourth country's folder is stale: last verified well beyond the period.
                    last_verified=today - timedelta(days=400) if number % 4 == 1 else verified,
                    verified_by=planner,
                    owner=owner or (desk if country.iso3 in desk_countries else planner),
                    version=3,  # created, edited, given its owner
                )
            )
        if office:
            contacts += [
                Contact(
                    country=country,
                    role=f"Chief, {office.short_name}",
                    name="COL A. Example",
                    held_from=date(2025, 7, 1),
                ),
                Contact(
                    country=country,
                    role=f"Chief, {office.short_name}",
                    name="COL B. Predecessor",
                    held_from=date(2022, 7, 1),
                    held_until=date(2025, 6, 30),
                ),
            ]
    valid([*sections, *contacts])
    Section.objects.bulk_create(sections)
    Revision.objects.bulk_create(
        Revision(section=section, number=1, text=section.text, reason="Initial folder", author=planner)
        for section in sections
    )
    index.reindex(kinds=[documents.SECTION], missing_only=True)  # the entries an edit writes, in a few queries
    Contact.objects.bulk_create(contacts)
    thailand = Country.objects.filter(iso3="THA").first()
    if thailand and not Observance.objects.filter(country=thailand).exists():
        # A second revision of Thailand's entry section, by the SCO, to compare with the first.
        entry = Section.objects.select_related("country").get(country=thailand, key=Section.Key.ENTRY)
        text = entry.text.replace("allow 30 business days", "allow 30 business days, 45 from April to June")
        author = sco_user or planner
        save_changes(
            entry,
            version=None,
            changes={"text": text, "number": entry.number + 1, "last_verified": verified, "verified_by": author},
        )
        Revision.objects.create(
            section=entry,
            number=entry.number,
            text=text,
            reason="Passport office backlog reported by the 2026 rotation",
            author=author,
        )
        index.put_record(entry)
        Observance.objects.bulk_create(
            [
                Observance(
                    country=thailand, name="Royal Thai Army Day", starts=date(2027, 1, 18), ends=date(2027, 1, 18)
                ),
                Observance(
                    country=thailand,
                    name="Buddhist Lent (field training avoided)",
                    starts=date(2027, 7, 20),
                    ends=date(2027, 10, 17),
                ),
            ]
        )
    return Section.objects.count()
