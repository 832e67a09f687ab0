"""Roles of framework.md §4 as Django groups, and what each may change. The single source of the role matrix."""

from django.contrib.auth.models import Group, Permission

# role -> label, model permissions ("app_label.codename") and reach: which records those permissions apply to.
#   theater       every record
#   countries     records of the user's countries (User.countries): events held there, objectives about them
#   organization  records of the user's organization and the units below it: events it owns, executes or supports
#   none          no record (the role changes nothing)
ROLES: dict[str, dict] = {
    "administrator": {"label": "Administrator", "reach": "theater", "permissions": ["*"]},
    "strategic_planner": {
        "label": "Strategic planner",
        "reach": "theater",
        "permissions": [
            "strategy.add_country",
            "strategy.change_country",
            "strategy.add_organization",
            "strategy.change_organization",
            "strategy.add_plan",
            "strategy.change_plan",
            "strategy.add_objective",
            "strategy.change_objective",
            "strategy.add_countryconstraint",
            "strategy.change_countryconstraint",
            "events.add_event",
            "events.change_event",
            "events.approve_event",
            "events.add_contributionclaim",
            "events.change_contributionclaim",
            "events.delete_contributionclaim",
            "planning.add_conference",
            "planning.change_conference",
            "planning.approve_conference",
            "planning.add_order",
            "planning.change_order",
            "planning.issue_order",
            "planning.add_theme",
            "planning.change_theme",
            "planning.add_informationrequest",
            "planning.answer_informationrequest",
            "planning.add_publicaffairsproduct",
            "planning.change_publicaffairsproduct",
            "readiness.add_entryrule",
            "readiness.change_entryrule",
            "readiness.add_traveler",
            "readiness.change_traveler",
            "readiness.delete_traveler",
            "folders.change_section",
            "folders.verify_section",
            "folders.add_contact",
            "folders.change_contact",
            "folders.add_observance",
            "folders.change_observance",
            "folders.add_attachment",
            "aars.add_report",
            "aars.change_report",
            "aars.review_report",
            "aars.manage_lesson",
            "aars.close_channelitem",
            "measures.add_indicator",
            "measures.change_indicator",
            "measures.add_measurement",
            "measures.change_measurement",
            "measures.approve_measurement",
            "measures.lock_period",
            "measures.add_assessment",
            "measures.change_assessment",
            "evaluation.add_countrystanding",
            "evaluation.change_countrystanding",
        ],
    },
    "desk_officer": {
        "label": "Country desk officer",
        "reach": "countries",
        "permissions": [
            "strategy.add_objective",
            "strategy.change_objective",
            "events.add_event",
            "events.change_event",
            "events.add_contributionclaim",
            "events.change_contributionclaim",
            "events.delete_contributionclaim",
            "planning.add_conference",
            "planning.change_conference",
            "planning.approve_conference",
            "planning.add_informationrequest",
            "planning.answer_informationrequest",
            "readiness.add_entryrule",
            "readiness.change_entryrule",
            "folders.change_section",
            "folders.verify_section",
            "folders.add_contact",
            "folders.change_contact",
            "folders.add_observance",
            "folders.change_observance",
            "folders.add_attachment",
            "aars.manage_lesson",
            "aars.close_channelitem",
            "measures.add_indicator",
            "measures.change_indicator",
            "measures.add_measurement",
            "measures.change_measurement",
            "measures.approve_measurement",
            "measures.add_assessment",
            "measures.change_assessment",
            "evaluation.add_countrystanding",
            "evaluation.change_countrystanding",
        ],
    },
    "unit_planner": {
        "label": "Operational / unit planner",
        "reach": "organization",
        "permissions": [
            "events.add_event",
            "events.change_event",
            "events.add_contributionclaim",
            "events.change_contributionclaim",
            "events.delete_contributionclaim",
            "planning.add_conference",
            "planning.change_conference",
            "planning.approve_conference",
            "planning.add_order",
            "planning.change_order",
            "planning.issue_order",
            "planning.add_informationrequest",
            "planning.answer_informationrequest",
            "readiness.add_traveler",
            "readiness.change_traveler",
            "readiness.delete_traveler",
            "aars.add_report",
            "aars.change_report",
            "aars.review_report",
            "measures.add_indicator",
            "measures.change_indicator",
            "measures.add_measurement",
            "measures.change_measurement",
        ],
    },
    "executor": {
        "label": "Executor",
        "reach": "organization",
        "permissions": [
            "events.change_event",
            "planning.add_informationrequest",
            "readiness.add_traveler",
            "readiness.change_traveler",
            "readiness.delete_traveler",
            "aars.add_report",
            "aars.change_report",
            "measures.add_measurement",
            "measures.change_measurement",
        ],
    },
    "assessor": {
        "label": "Assessor / evaluator",
        "reach": "theater",
        "permissions": [
            "measures.add_indicator",
            "measures.change_indicator",
            "measures.add_measurement",
            "measures.change_measurement",
            "measures.lock_period",
            "measures.add_assessment",
            "measures.change_assessment",
        ],
    },
    "sco": {
        "label": "Security cooperation officer",
        "reach": "countries",
        "permissions": [
            "events.change_event",
            "planning.add_informationrequest",
            "planning.answer_informationrequest",
            "readiness.add_entryrule",
            "readiness.change_entryrule",
            "folders.change_section",
            "folders.verify_section",
            "folders.add_contact",
            "folders.change_contact",
            "folders.add_observance",
            "folders.change_observance",
            "folders.add_attachment",
            "aars.close_channelitem",
            "measures.add_measurement",
            "measures.change_measurement",
            "measures.add_assessment",
            "measures.change_assessment",
        ],
    },
    "public_affairs": {
        "label": "Public affairs officer",
        "reach": "countries",
        "permissions": [
            "planning.add_theme",
            "planning.change_theme",
            "planning.answer_informationrequest",
            "planning.add_publicaffairsproduct",
            "planning.change_publicaffairsproduct",
        ],
    },
    "reader": {"label": "Reader", "reach": "none", "permissions": []},
}


REACHES = ("theater", "countries", "organization", "none")


def sync_roles() -> None:
    """Create or update one group per role. Safe to run any number of times."""
    apps = ["core", "strategy", "events", "planning", "folders", "readiness", "aars", "measures", "evaluation"]
    known = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(content_type__app_label__in=apps).select_related("content_type")
    }
    for name, spec in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if spec["permissions"] == ["*"]:
            group.permissions.set(known.values())
        else:
            # A name missing here is a typo in ROLES: fail loudly rather than grant less than documented.
            group.permissions.set([known[p] for p in spec["permissions"]])
