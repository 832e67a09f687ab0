"""Enumerations shared by several apps (framework.md §2.1, §2.2, §5.2, §5.4). Codes are stable; labels may change."""

from django.db import models


class ObjectiveType(models.TextChoices):
    REL = "REL", "Relationships"
    CAP = "CAP", "Partner capacity"
    INT = "INT", "Interoperability"
    ACC = "ACC", "Access"


class Level(models.IntegerChoices):
    """Objective levels, top (0) to bottom (4). A parent is never at a lower level than its child."""

    NATIONAL = 0, "National"
    THEATER = 1, "Theater"
    IMO = 2, "Intermediate military objective"
    COUNTRY = 3, "Country / Army"
    EVENT = 4, "Event objective"


class EventType(models.TextChoices):
    FTX = "FTX", "Field training exercise"
    CPX = "CPX", "Command post / staff exercise"
    SMEE = "SMEE", "Subject-matter expert exchange"
    KLE = "KLE", "Key leader engagement"
    STAFF_TALKS = "STAFF_TALKS", "Army-to-Army staff talks"
    CONFERENCE = "CONFERENCE", "Conference / symposium / seminar"
    DME = "DME", "Disaster management exchange"
    HCA = "HCA", "Humanitarian civic assistance"
    MTT = "MTT", "Mobile training team"
    SPP = "SPP", "State Partnership Program exchange"
    EXCHANGE = "EXCHANGE", "Exchange / liaison officer program"
    SITE_SURVEY = "SITE_SURVEY", "Pre-deployment site survey"
    PATHWAYS = "PATHWAYS", "Pacific Pathways rotation"


class Echelon(models.TextChoices):
    NATIONAL = "NATIONAL", "National / department"
    COCOM = "COCOM", "Combatant command"
    ASCC = "ASCC", "Army service component command"
    CORPS = "CORPS", "Corps"
    DIVISION = "DIVISION", "Division"
    BRIGADE = "BRIGADE", "Brigade"
    BATTALION = "BATTALION", "Battalion"
    TEAM = "TEAM", "Team / detachment"
    SCO = "SCO", "Security cooperation office"
    NATIONAL_GUARD = "NATIONAL_GUARD", "National Guard state"
    AGENCY = "AGENCY", "Agency / center"
    PARTNER_UNIT = "PARTNER_UNIT", "Partner unit"


class Dotmlpfp(models.TextChoices):
    """Where a fix belongs: the DOTMLPF-P domains lessons are tagged with (anchors.md §3.1)."""

    DOCTRINE = "DOCTRINE", "Doctrine"
    ORGANIZATION = "ORGANIZATION", "Organization"
    TRAINING = "TRAINING", "Training"
    MATERIEL = "MATERIEL", "Materiel"
    LEADERSHIP = "LEADERSHIP", "Leadership and education"
    PERSONNEL = "PERSONNEL", "Personnel"
    FACILITIES = "FACILITIES", "Facilities"
    POLICY = "POLICY", "Policy"
