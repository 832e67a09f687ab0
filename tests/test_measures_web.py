"""The web pages of measures: the indicator list and its filters, defining an indicator (a refused binding shown on
its field), recording and approving values, period locks, the bulk import with its preview, assessments that must
cite evidence, and the trend chart."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from goldthread.measures import services
from goldthread.measures.models import Assessment, Indicator, Measurement, PeriodLock, Target


@pytest.fixture
def w(measures):
    return measures


def login(client, user):
    client.force_login(user)
    return client


def recorded(w, indicator=None, value=12, day=date(2025, 8, 1), actor=None, **fields) -> Measurement:
    return services.record(
        actor=actor or w.assessor, indicator=indicator or w.country_moe, date=day, value=value, **fields
    )


def page_of(client, indicator) -> str:
    response = client.get(f"/indicators/{indicator.uid}/")
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, m: Measurement) -> str:
    """The table row of one value waiting for approval."""
    found = re.search(rf'<tr id="value-{m.uid}">.*?</tr>', html, re.S)
    assert found, f"no row for {m}"
    return found[0]


# The list ---------------------------------------------------------------------------------------------------------


def codes_listed(client, **params) -> set[str]:
    response = client.get("/indicators/", params)
    assert response.status_code == 200
    return set(re.findall(r'class="code">([A-Z0-9-]+)</a>', response.content.decode()))


def test_the_list_filters_by_kind_country_objective_status_and_words(w, client):
    login(client, w.reader)  # reading is open to every logged-in user
    every = {"MOE-THA-1", "MOP-HG-1", "MOE-TCP-3", "MOE-THA-2"}
    assert codes_listed(client) == every
    assert codes_listed(client, kind="MOP") == {"MOP-HG-1"}
    assert codes_listed(client, country="THA") == every - {"MOE-TCP-3"}
    assert codes_listed(client, objective="CSP-THA-2.1") == {"MOE-THA-1", "MOE-THA-2"}
    assert codes_listed(client, q="certified") == {"MOE-THA-2"}
    assert codes_listed(client, status="RETIRED") == set()
    assert codes_listed(client, kind="nonsense", status="nonsense") == every  # a value that cannot match is dropped
    html = client.get("/indicators/", {"kind": "MOE", "q": "HADR"}).content.decode()
    assert "3 indicators." in html


def test_the_list_shows_the_latest_approved_value_against_its_target(w, client):
    services.approve(actor=w.desk, measurement=recorded(w, value=12))
    services.set_target(actor=w.planner, indicator=w.country_moe, period="FY2025-Q4", value=15)
    html = login(client, w.reader).get("/indicators/", {"q": "certified"}).content.decode()
    assert re.search(r"12 staff officers <span class=\"hint\">\(FY2025-Q4\)</span></td>\s*<td[^>]*>15</td>", html)


# Defining an indicator ---------------------------------------------------------------------------------------------


def indicator_form(**fields) -> dict:
    return {
        "code": "MOE-NEW",
        "kind": "MOE",
        "statement": "Partner requests for engagement",
        "unit": "requests",
        "good": "HIGHER",
        "data_source": "SCO log",
        "frequency": "QUARTERLY",
        "accumulation": "PERIODIC",
        "aggregation": "SUM",
        "status": "ACTIVE",
        **fields,
    }


def test_a_moe_bound_to_an_event_is_refused_on_the_event_field_and_nothing_is_created(w, client):
    login(client, w.planner)
    response = client.post("/indicators/new/", indicator_form(event=w.event.pk))
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_event_error"[^>]*>([^<]*)<', html)
    assert error and "no single event can answer for" in error[1]
    assert 'value="MOE-NEW"' in html  # the form comes back as typed
    assert not Indicator.objects.filter(code="MOE-NEW").exists()


def test_an_indicator_is_defined_with_its_scale_breakdowns_and_quality_prompts(w, client):
    login(client, w.planner)
    response = client.post(
        "/indicators/new/",
        indicator_form(
            objective=w.imo.pk,
            aggregation="AVERAGE",
            scale="1 = No plan\n2 = A plan\n3 = A rehearsed plan",
            disaggregations="sex, partner unit",
            criteria=["relevant", "observable"],
        ),
    )
    made = Indicator.objects.get(code="MOE-NEW")
    assert response.status_code == 302 and response["Location"] == f"/indicators/{made.uid}/"
    assert made.scale == [
        {"value": 1, "label": "No plan"},
        {"value": 2, "label": "A plan"},
        {"value": 3, "label": "A rehearsed plan"},
    ]
    assert made.disaggregations == ["sex", "partner unit"] and made.criteria == ["relevant", "observable"]
    html = page_of(client, made)
    quality = re.search(r'id="quality">(.*?)</div>', html, re.S)[1]
    assert "Responsive" in quality and "Resourced" in quality and "Relevant" not in quality
    # IMO-THA-2 has no measure, target, date or owner: the SMART check says which.
    smart = re.search(r'id="smart">(.*?)</p>', html, re.S)[1]
    assert "a measure, a target, a target date, an owner" in smart


def test_a_scale_that_cannot_be_read_is_refused_on_its_field(w, client):
    response = login(client, w.planner).post("/indicators/new/", indicator_form(objective=w.imo.pk, scale="one: none"))
    assert response.status_code == 400
    assert (
        "Write each step as value = anchor"
        in re.search(r'id="id_scale_error"[^>]*>([^<]*)<', response.content.decode())[1]
    )
    assert not Indicator.objects.filter(code="MOE-NEW").exists()


def test_editing_an_indicator_keeps_its_binding_rules(w, client):
    login(client, w.planner)
    form = client.get(f"/indicators/{w.country_moe.uid}/edit/").content.decode()
    assert 'value="MOE-THA-2"' in form
    data = indicator_form(code="MOE-THA-2", unit="staff officers", objective=w.army.pk, version=w.country_moe.version)
    refused = client.post(f"/indicators/{w.country_moe.uid}/edit/", {**data, "kind": "MOP"})
    assert refused.status_code == 400
    assert "is an outcome objective" in refused.content.decode()
    saved = client.post(f"/indicators/{w.country_moe.uid}/edit/", {**data, "baseline_value": "4"})
    assert saved.status_code == 302
    w.country_moe.refresh_from_db()
    assert (w.country_moe.kind, w.country_moe.baseline_value) == ("MOE", 4)


# Values and their approval -----------------------------------------------------------------------------------------


def test_a_value_recorded_through_the_form_is_submitted_and_another_user_approves_it(w, client):
    login(client, w.writer)  # the executing unit's member, at the event that collects the MOP
    form = client.get(
        f"/indicators/{w.mop.uid}/values/new/", {"event": str(w.event.uid), "source": "AAR"}
    ).content.decode()
    assert re.search(rf'<option value="{w.event.pk}" selected>', form)  # preselected from the AAR's link
    assert re.search(r'<input type="hidden" name="source" value="AAR"', form)
    assert 'name="breakdown_0"' in form and ">Sex</label>" in form
    response = client.post(
        f"/indicators/{w.mop.uid}/values/new/",
        {
            "date": "2025-07-05",
            "value": "24",
            "event": w.event.pk,
            "breakdown_0": "F",
            "note": "Roster",
            "source": "AAR",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/indicators/{w.mop.uid}/#values"
    m = Measurement.objects.get(indicator=w.mop)
    assert (m.status, m.source, m.value, m.event, m.disaggregation, m.recorded_by) == (
        "SUBMITTED",
        "AAR",
        24,
        w.event,
        {"sex": "F"},
        w.writer,
    )

    login(client, w.planner)
    row = row_of(page_of(client, w.mop), m)
    assert ">Approve</button>" in row and ">Return</button>" in row
    approved = client.post(f"/values/{m.uid}/approve/", {"version": m.version})
    assert approved.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.approved_by) == ("APPROVED", w.planner)
    table = re.search(r'<table id="series">.*?</table>', page_of(client, w.mop), re.S)[0]
    assert re.search(r"<th scope=\"row\">FY2025-Q4</th><td>24</td><td>1</td>", table)


def test_ones_own_value_is_refused_approval_in_place(w, client):
    login(client, w.desk)
    client.post(f"/indicators/{w.country_moe.uid}/values/new/", {"date": "2025-08-02", "value": "3"})
    own = Measurement.objects.get(recorded_by=w.desk)
    response = client.post(f"/values/{own.uid}/approve/", {"version": own.version})
    assert response.status_code == 400
    assert "You recorded this value: someone else approves it." in row_of(response.content.decode(), own)
    own.refresh_from_db()
    assert own.status == "SUBMITTED"


def test_a_return_needs_a_reason_and_the_fixed_value_goes_back_for_approval(w, client):
    m = recorded(w, value=120)
    login(client, w.desk)
    response = client.post(f"/values/{m.uid}/return/", {"version": m.version, "reason": "  "})
    assert response.status_code == 400
    assert "Say what is wrong with the value" in row_of(response.content.decode(), m)
    assert Measurement.objects.get(pk=m.pk).status == "SUBMITTED"
    returned = client.post(f"/values/{m.uid}/return/", {"version": m.version, "reason": "Count staff officers only."})
    assert returned.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.return_reason) == ("RETURNED", "Count staff officers only.")

    login(client, w.assessor)
    form = client.get(f"/values/{m.uid}/edit/").content.decode()
    assert "Returned: Count staff officers only." in form
    fixed = client.post(
        f"/values/{m.uid}/edit/", {"version": m.version, "date": "2025-08-01", "value": "12", "submit": "1"}
    )
    assert fixed.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.value, m.return_reason) == ("SUBMITTED", 12, "")
    locked_out = client.get(f"/values/{m.uid}/edit/")  # submitted: no longer edited
    assert locked_out.status_code == 302


def test_a_locked_period_refuses_a_value_in_place(w, client):
    waiting = recorded(w)
    login(client, w.assessor)
    refused = client.post(f"/indicators/{w.country_moe.uid}/lock/", {"period": "fy2025"})
    assert refused.status_code == 400
    assert (
        "1 value(s) of MOE-THA-2 in FY2025 are not approved yet"
        in re.search(r'id="id_period_error"[^>]*>([^<]*)<', refused.content.decode())[1]
    )
    services.approve(actor=w.desk, measurement=waiting)
    assert client.post(f"/indicators/{w.country_moe.uid}/lock/", {"period": "FY2025"}).status_code == 302
    assert PeriodLock.objects.filter(indicator=w.country_moe, period="FY2025").exists()

    response = client.post(f"/indicators/{w.country_moe.uid}/values/new/", {"date": "2025-09-01", "value": "3"})
    assert response.status_code == 400
    error = re.search(r'id="id_date_error"[^>]*>([^<]*)<', response.content.decode())[1]
    assert "FY2025-Q4 of MOE-THA-2 is locked" in error
    assert Measurement.objects.count() == 1

    assert client.post(f"/indicators/{w.country_moe.uid}/unlock/", {"period": "FY2025"}).status_code == 302
    assert (
        client.post(f"/indicators/{w.country_moe.uid}/values/new/", {"date": "2025-09-01", "value": "3"}).status_code
        == 302
    )


def test_a_rating_takes_a_step_of_its_scale_and_a_far_out_value_is_recorded_with_a_warning(w, client):
    login(client, w.assessor)
    form = client.get(f"/indicators/{w.moe.uid}/values/new/").content.decode()
    assert '<option value="3">3: Level 3</option>' in form
    assert client.post(f"/indicators/{w.moe.uid}/values/new/", {"date": "2025-08-01", "value": "7"}).status_code == 400
    for day in range(1, 11):
        services.approve(actor=w.desk, measurement=recorded(w, value=10 + day % 3, day=date(2025, 8, day)))
    response = client.post(
        f"/indicators/{w.country_moe.uid}/values/new/", {"date": "2025-08-20", "value": "1100"}, follow=True
    )
    assert "check the unit and the decimal point" in response.content.decode()
    assert Measurement.objects.filter(value=1100, status="SUBMITTED").exists()


def test_targets_are_set_and_removed_from_the_indicator_page(w, client):
    login(client, w.planner)
    assert (
        client.post(f"/indicators/{w.country_moe.uid}/targets/", {"period": "fy2026", "value": "30"}).status_code == 302
    )
    assert Target.objects.get(indicator=w.country_moe).period == "FY2026"
    refused = client.post(f"/indicators/{w.country_moe.uid}/targets/", {"period": "2026", "value": "30"})
    assert refused.status_code == 400 and "is not a fiscal period" in refused.content.decode()
    assert (
        client.post(f"/indicators/{w.country_moe.uid}/targets/", {"period": "FY2026", "value": ""}).status_code == 302
    )
    assert not Target.objects.exists()


# Import -----------------------------------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "values.csv"):
    return client.post("/indicators/import/", {"file": SimpleUploadedFile(name, content)})


def test_an_import_with_a_bad_row_shows_the_preview_writes_nothing_and_offers_no_confirmation(w, client):
    login(client, w.assessor)
    response = upload(
        client, b"indicator,date,value,event,sex\nMOP-HG-1,2025-07-01,24,EVT-2025-HG,F\nMOP-HG-9,2025-07-01,3,,\n"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No indicator &#x27;MOP-HG-9&#x27;." in html
    assert "2 rows: 1 ready, 1 with errors" in html
    assert "/indicators/import/confirm/" not in html and "Confirm the import" not in html
    assert not Measurement.objects.exists()


def test_a_clean_import_is_written_only_once_confirmed(w, client):
    login(client, w.assessor)
    html = upload(
        client,
        b"indicator,date,value,event,sex\nMOP-HG-1,2025-07-01,20,EVT-2025-HG,M\nMOP-HG-1,2025-07-01,4,EVT-2025-HG,F\n",
    ).content.decode()
    assert "Confirm the import of 2 values" in html
    assert not Measurement.objects.exists()
    carried = dict(re.findall(r'<input type="hidden" name="(name|content)" value="([^"]*)"', html))
    confirmed = client.post("/indicators/import/confirm/", carried)
    assert confirmed.status_code == 302
    written = Measurement.objects.order_by("value")
    assert [(m.value, m.disaggregation, m.status, m.source) for m in written] == [
        (4, {"sex": "F"}, "SUBMITTED", "IMPORT"),
        (20, {"sex": "M"}, "SUBMITTED", "IMPORT"),
    ]


def test_a_damaged_confirmation_or_unreadable_file_is_refused_in_one_line(w, client):
    login(client, w.assessor)
    damaged = client.post("/indicators/import/confirm/", {"name": "x.csv", "content": "not base64!"})
    assert damaged.status_code == 400 and "damaged: upload it again" in damaged.content.decode()
    unreadable = upload(client, b"not a zip", name="x.xlsx")
    assert unreadable.status_code == 400
    assert (
        "not a readable Excel workbook"
        in re.search(r'id="id_file_error"[^>]*>([^<]*)<', unreadable.content.decode())[1]
    )
    assert not Measurement.objects.exists()


# Assessments ------------------------------------------------------------------------------------------------------


def test_an_assessment_without_evidence_is_refused_in_place_then_cited_and_submitted(w, client):
    login(client, w.assessor)
    form = client.get(f"/objectives/{w.army.uid}/assessments/new/").content.decode()
    assert "Substantial progress: lasting change on most indicators." in form  # the scale next to the rating
    created = client.post(
        f"/objectives/{w.army.uid}/assessments/new/",
        {"period": "fy2025", "rating": "3", "rationale": "Plans improved.", "confidence": "MEDIUM"},
    )
    a = Assessment.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/assessments/{a.uid}/"
    assert (a.period, a.independence, a.status) == ("FY2025", "INDEPENDENT", "DRAFT")

    refused = client.post(f"/assessments/{a.uid}/submit/", {"version": a.version})
    assert refused.status_code == 400
    submit = re.search(r'<section aria-labelledby="h-submit".*?</section>', refused.content.decode(), re.S)[0]
    assert "Cite at least one piece of evidence" in submit
    assert Assessment.objects.get().status == "DRAFT"

    no_document = client.post(f"/assessments/{a.uid}/evidence/", {"kind": "DOCUMENT", "document": " "})
    assert no_document.status_code == 400 and "Name the document this evidence cites." in no_document.content.decode()
    cited = client.post(
        f"/assessments/{a.uid}/evidence/", {"kind": "INDICATOR", "indicator": w.moe.pk, "note": "2 → 3"}
    )
    assert cited.status_code == 302
    assert client.post(f"/assessments/{a.uid}/submit/", {"version": a.version}).status_code == 302
    a.refresh_from_db()
    assert a.status == "SUBMITTED" and [e.indicator for e in a.evidence.all()] == [w.moe]
    history = re.search(
        r'<section aria-labelledby="h-measures".*?</section>',
        client.get(f"/objectives/{w.army.uid}/").content.decode(),
        re.S,
    )[0]
    assert f'href="/assessments/{a.uid}/">FY2025</a>' in history and "3 — Some progress" in history


def test_evidence_offered_is_of_the_objective_and_below_and_can_be_removed(w, client):
    a = services.create_assessment(actor=w.assessor, objective=w.imo, period="FY2025", rating=3, rationale="x")
    login(client, w.assessor)
    html = client.get(f"/assessments/{a.uid}/").content.decode()
    offered = re.search(r'<select name="indicator".*?</select>', html, re.S)[0]
    assert "MOE-THA-1" in offered and "MOP-HG-1" in offered and "MOE-TCP-3" not in offered  # TCP-O3 is above
    services.cite(actor=w.assessor, assessment=a, kind="DOCUMENT", document="RTA exercise report")
    evidence = a.evidence.get()
    assert client.post(f"/assessments/{a.uid}/evidence/remove/", {"evidence": evidence.pk}).status_code == 302
    assert not a.evidence.exists()


# The chart --------------------------------------------------------------------------------------------------------


def test_the_chart_is_an_svg_with_the_value_plotted_and_the_same_data_gives_the_same_bytes(w, client):
    services.approve(actor=w.desk, measurement=recorded(w, value=12))
    services.set_target(actor=w.planner, indicator=w.country_moe, period="FY2025-Q4", value=15)
    login(client, w.reader)
    response = client.get(f"/indicators/{w.country_moe.uid}/chart.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg ") and 'role="img"' in svg
    label = re.search(r'aria-label="([^"]*)"', svg)[1]
    assert "FY2025-Q4 12 (target 15)" in label and "higher is better" in label
    assert "style=" not in svg and "<style" not in svg  # the page's policy allows no inline styles
    assert client.get(f"/indicators/{w.country_moe.uid}/chart.svg").content == response.content
    png = client.get(f"/indicators/{w.country_moe.uid}/chart.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(f"/indicators/{w.country_moe.uid}/chart.pdf").status_code == 404
    page = page_of(client, w.country_moe)
    assert label in page  # the same chart inline in the page


# Who may write ----------------------------------------------------------------------------------------------------


def test_a_reader_is_refused_every_write_and_sees_no_write_control(w, client):
    m = recorded(w)
    a = services.create_assessment(actor=w.assessor, objective=w.army, period="FY2025", rating=3, rationale="x")
    login(client, w.reader)
    html = page_of(client, w.country_moe)
    assert ">Approve</button>" not in html and "Lock the period" not in html and "Set the target" not in html
    posts = {
        "/indicators/new/": indicator_form(objective=w.imo.pk),
        f"/indicators/{w.country_moe.uid}/edit/": indicator_form(objective=w.imo.pk),
        f"/indicators/{w.country_moe.uid}/targets/": {"period": "FY2026", "value": "3"},
        f"/indicators/{w.country_moe.uid}/lock/": {"period": "FY2024"},
        f"/indicators/{w.country_moe.uid}/unlock/": {"period": "FY2024"},
        f"/indicators/{w.country_moe.uid}/values/new/": {"date": "2025-08-01", "value": "3"},
        f"/values/{m.uid}/edit/": {"date": "2025-08-01", "value": "3"},
        f"/values/{m.uid}/submit/": {},
        f"/values/{m.uid}/approve/": {},
        f"/values/{m.uid}/return/": {"reason": "r"},
        "/indicators/import/": {"file": SimpleUploadedFile("v.csv", b"indicator,date,value\nMOE-THA-2,2025-08-01,3\n")},
        "/indicators/import/confirm/": {"name": "v.csv", "content": "aW5kaWNhdG9y"},
        f"/objectives/{w.army.uid}/assessments/new/": {"period": "FY2025", "rating": "3", "rationale": "x"},
        f"/assessments/{a.uid}/edit/": {"period": "FY2025", "rating": "3", "rationale": "y"},
        f"/assessments/{a.uid}/evidence/": {"kind": "DOCUMENT", "document": "d"},
        f"/assessments/{a.uid}/evidence/remove/": {"evidence": "1"},
        f"/assessments/{a.uid}/submit/": {},
    }
    for path, data in posts.items():
        assert client.post(path, data).status_code == 403, path
    assert Measurement.objects.get().status == "SUBMITTED" and Measurement.objects.count() == 1
    assert Indicator.objects.count() == 4 and not Target.objects.exists() and not PeriodLock.objects.exists()
    assert Assessment.objects.get().rationale == "x" and not Assessment.objects.get().evidence.exists()


def test_hostile_text_in_an_indicator_comes_back_escaped_on_its_pages_and_in_its_chart(w, client):
    from tests.test_hostile_input import assert_harmless, hostile, shown

    bad = services.create_indicator(
        actor=w.planner,
        code=hostile("IC", 40),
        kind="MOE",
        statement=hostile("IS"),
        objective=w.army,
        unit=hostile("IU", 60),
        data_source=hostile("ID", 300),
        aggregation="LATEST",
        scale=[{"value": 1, "label": hostile("IA", 200)}, {"value": 2, "label": "Two"}],
        disaggregations=[hostile("IB", 100)],
    )
    services.approve(
        actor=w.desk,
        measurement=recorded(w, indicator=bad, value=2, note=hostile("IN"), disaggregation={hostile("IB", 100): "x"}),
    )
    waiting = recorded(w, indicator=bad, value=1, day=date(2025, 8, 2), note=hostile("IW"))
    login(client, w.planner)
    pages = {
        "/indicators/": ["IC", "IS", "IU"],
        f"/indicators/{bad.uid}/": ["IC", "IS", "IU", "ID", "IA", "IB", "IN", "IW"],
        f"/indicators/{bad.uid}/edit/": ["IC", "IS", "IU", "ID", "IA", "IB"],
        f"/indicators/{bad.uid}/values/new/": ["IC", "IS", "IU", "IA"],
        f"/objectives/{w.army.uid}/": ["IC", "IS", "IU"],
    }
    for path, tags in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert_harmless(html, path)
        assert [tag for tag in tags if shown(tag) not in html] == [], path
    svg = client.get(f"/indicators/{bad.uid}/chart.svg").content.decode()
    assert_harmless(svg, "chart.svg")
    assert shown("IC") in svg and shown("IU") in svg  # named in its aria-label, escaped
    assert waiting.status == "SUBMITTED"


def test_the_objective_measures_document_carries_the_chart_series_and_assessments(client, measures):
    import io

    import docx
    import pypdf

    from goldthread.measures.models import Evidence

    w = measures
    m = services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 8, 1), value=12)
    services.approve(actor=w.desk, measurement=m)
    a = services.create_assessment(
        actor=w.assessor, objective=w.army, period="FY2025", rating=4, rationale="Twelve staff officers certified."
    )
    services.cite(actor=w.assessor, assessment=a, kind=Evidence.Kind.INDICATOR, indicator=w.country_moe)
    services.submit_assessment(actor=w.assessor, assessment=a)
    client.force_login(w.reader)

    word = client.get(f"/objectives/{w.army.uid}/measures.docx")
    assert word.status_code == 200
    book = docx.Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in book.paragraphs)
    assert "MOE-THA-2 (MOE) Thai staff officers certified in HADR planning" in text
    assert "Twelve staff officers certified." in text and "Independent" in text
    assert len(book.inline_shapes) == 1  # a chart for MOE-THA-2; MOE-THA-1 has nothing to draw yet
    assert "No approved value and no target yet." in text
    rows = [[c.text for c in r.cells] for t in book.tables for r in t.rows]
    assert ["FY2025", "12", "—", "1"] in rows

    pdf = client.get(f"/objectives/{w.army.uid}/measures.pdf")
    assert pdf.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert "MOE-THA-2" in "".join(page.extract_text() for page in reader.pages)
    assert any(page.images for page in reader.pages)
    assert client.get(f"/objectives/{w.army.uid}/measures.odt").status_code == 404


def test_an_objective_page_lists_its_own_indicators_first_and_counts_those_it_leaves_out(w, client, monkeypatch):
    from goldthread.strategy import views

    login(client, w.planner)
    every = client.get(f"/objectives/{w.theater.uid}/").content.decode()
    assert re.findall(r">(MOE-[A-Z]+-\d)</a>", every) == ["MOE-TCP-3", "MOE-THA-1", "MOE-THA-2"]
    assert "the first" not in every
    monkeypatch.setattr(views, "INDICATORS_SHOWN", 2)
    first = client.get(f"/objectives/{w.theater.uid}/").content.decode()
    assert re.findall(r">(MOE-[A-Z]+-\d)</a>", first) == ["MOE-TCP-3", "MOE-THA-1"]
    assert "the first 2 of 3" in first
