"""The executor's information-requirements checklist (INFO-1), generated from the event's type, countries and the
objective types it serves. Each item says where Goldthread answers it, or who to ask while it does not — and once
someone asked, the request for information (RFI) that carries the question, and its answer."""

from dataclasses import dataclass

from django.db.models import Q

from goldthread.core.catalogues import EventType
from goldthread.events.models import Event
from goldthread.folders.models import Section
from goldthread.planning.models import Conference, InformationRequest
from goldthread.planning.purpose import PurposeBlock
from goldthread.strategy.models import Organization


@dataclass
class Requirement:
    topic: str
    question: str
    answered_in: str  # where Goldthread answers it, or "" when it does not yet
    ask: str  # who to ask when it is not answered
    request: InformationRequest | None = None  # the latest RFI on this topic, open or answered

    @property
    def answered(self) -> bool:
        return bool(self.answered_in)

    @property
    def status(self) -> str:
        if self.answered:
            return self.answered_in
        if self.request:
            return f"Open: RFI to {self.request.owner.short_name}, due {self.request.due:%d %b %Y}"
        return f"Open: ask {self.ask}"


# Questions that depend on what the event is for (framework §2.4, executor information requirements).
BY_OBJECTIVE_TYPE = {
    "REL": "Who are the counterparts, what is their history with the U.S., and what was promised last time?",
    "CAP": "What is the partner's current skill baseline and equipment, and what did the partner ask for?",
    "INT": "What communications equipment, language ability and planning doctrine does the partner use?",
    "ACC": "What are the host-nation entry rules, SOFA/VFA status, and customs and clearance procedures?",
}
BY_EVENT_TYPE = {
    EventType.FTX: "Which training areas and ranges, under whose range control?",
    EventType.CPX: "Which staff procedures and planning products will the combined staff use?",
    EventType.SMEE: "Which topics did the partner ask for, and at what level?",
    EventType.HCA: "Which sites, with which local authorities and permits?",
    EventType.MTT: "Which partner trainers will carry the instruction on after the team leaves?",
}


def requirements(event: Event, purpose: PurposeBlock) -> list[Requirement]:
    countries = list(event.countries.all())
    sco = Organization.objects.filter(echelon="SCO", country__in=countries).first()
    sco_name = sco.short_name if sco else "the embassy's security cooperation office"
    approved = Conference.objects.filter(event=event, status=Conference.Status.APPROVED).exists()
    entry_written = Section.objects.filter(country__in=countries, key=Section.Key.ENTRY, number__gt=0).exists()
    items = [
        Requirement(
            "Purpose",
            "Which objectives does the event serve, of which type, and what outcome is expected?",
            "section 1 (purpose)" if purpose.served else "",
            "the tasking headquarters",
        ),
        Requirement(
            "Partner",
            "Which partner units take part, under whose command?",
            "the event record (partner units)" if event.partner_units.exists() else "",
            sco_name,
        ),
        Requirement(
            "Agreements",
            "What was agreed with the partner at the planning conferences?",
            "section 2 (conference records)" if approved else "",
            "the exercise planners (G37)",
        ),
        Requirement(
            "Constraints",
            "Which legal or policy restrictions apply in the host country?",
            "section 3 (constraints)",
            "",
        ),
        Requirement(
            "Administration",
            "Which entry documents, clearances and lead times apply to travellers?",
            "section 4 (country essentials) and 5 (readiness)" if entry_written else "",
            sco_name,
        ),
        Requirement(
            "Communications",
            "Which approved themes and talking points apply, and what not to discuss?",
            "section 6 (themes)" if purpose.themes else "",
            "the public affairs office",
        ),
        Requirement(
            "Reporting",
            "What must be observed and reported, and when is the AAR due?",
            "section 8 (observe and report)" if purpose.observe else "",
            "the tasking headquarters",
        ),
        Requirement(
            "History",
            "What did earlier iterations and other units learn with this partner?",
            "",
            "the unit that executed the previous iteration",
        ),
    ]
    for objective_type in purpose.objective_types:
        items.append(Requirement(f"Purpose ({objective_type})", BY_OBJECTIVE_TYPE[objective_type], "", sco_name))
    if event.event_type in BY_EVENT_TYPE:
        items.append(Requirement("Execution", BY_EVENT_TYPE[event.event_type], "", "the exercise planners (G37)"))
    asked = (
        InformationRequest.objects.filter(event=event)
        .filter(~Q(status=InformationRequest.Status.WITHDRAWN))
        .select_related("owner")
        .order_by("created")
    )
    latest = {request.topic: request for request in asked}
    for item in items:
        item.request = latest.get(item.topic)
        if not item.answered and item.request and item.request.status == InformationRequest.Status.ANSWERED:
            item.answered_in = f"RFI answered by {item.request.owner.short_name}: {item.request.answer}"
    return items
