"""Lists that behave like a spreadsheet: a column header sorts by that column, a "Columns" disclosure chooses the
columns shown (remembered per user and table), and the pager keeps the filters and the sort in the address.

A view declares its `Table` once and binds it to the request and its filtered rows; the template reads the bound
table: `headers` for the header row, `shown.<key>` to render a cell, `page`, `query` for the pager, and includes
"web/_columns.html" for the disclosure. Unknown sort keys and column names are ignored, never an error."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import BaseExpression, OrderBy
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

Order = str | BaseExpression
PARAMS_KEPT_OUT = ("page", "columns")  # a page number goes stale with a new sort; the columns are remembered


def choice_order(field_name: str, choices: Sequence[str]) -> Case:
    """Sorts a choice field in the order its choices are declared (a lifecycle), not alphabetically."""
    return Case(
        *(When(**{field_name: value}, then=Value(n)) for n, value in enumerate(choices)),
        default=Value(len(choices)),
        output_field=IntegerField(),
    )


def _ordered(order: Order, descending: bool, empty_last: bool) -> OrderBy:
    expression = F(order) if isinstance(order, str) else order
    # Only where a value can be missing: a plain order is the one the list indexes are built for.
    nulls = {"nulls_last": True} if empty_last else {}
    return expression.desc(**nulls) if descending else expression.asc(**nulls)


@dataclass(frozen=True)
class Column:
    key: str  # its name in ?sort= and ?columns=
    label: str
    sort: tuple[Order, ...] = ()  # what ascending order means; empty: the column does not sort
    required: bool = False  # the column that names the row: it cannot be hidden
    default: bool = True  # shown until the user chooses
    # Rows without a value come last either way, and alike on SQLite and PostgreSQL, whose defaults differ.
    empty_last: bool = False


@dataclass(frozen=True)
class Table:
    name: str  # the user's choice of columns is remembered under it
    url_name: str  # the list page: sort links, the pager and the columns form lead there
    columns: tuple[Column, ...]
    default_sort: str = ""  # a column key, "-" in front for descending; empty: the rows' own order
    tie_break: tuple[str, ...] = ("pk",)  # makes every order total, so that pages neither repeat nor skip rows
    page_size: int = 50
    choosable: bool = True  # offers the Columns disclosure
    htmx_target: str = ""  # a CSS selector: sort links swap that element in place of loading the page

    def bind(self, request: HttpRequest, rows: QuerySet, params: QueryDict | None = None) -> "BoundTable":
        """The rows sorted as asked (or by default) and paged, with the columns the user chose."""
        params = request.GET if params is None else params
        columns = {c.key: c for c in self.columns}
        asked = (params.get("sort") or "")[:60]
        explicit = asked.removeprefix("-") in columns and bool(columns[asked.removeprefix("-")].sort)
        chosen = asked if explicit else self.default_sort
        key, descending = chosen.removeprefix("-"), chosen.startswith("-")
        if key in columns and columns[key].sort:
            column = columns[key]
            rows = rows.order_by(*(_ordered(o, descending, column.empty_last) for o in column.sort), *self.tie_break)
        else:
            key = ""
        shown = self._shown(request, params)
        return BoundTable(
            table=self,
            page=Paginator(rows, self.page_size).get_page(params.get("page")),
            sort=key,
            descending=descending,
            explicit_sort=chosen if explicit else "",
            shown={c.key: c.key in shown for c in self.columns},
            params=params,
            path=reverse(self.url_name),
        )

    def _shown(self, request: HttpRequest, params: QueryDict) -> set[str]:
        known = {c.key for c in self.columns}
        required = {c.key for c in self.columns if c.required}
        default = {c.key for c in self.columns if c.default}
        if not self.choosable:
            return default | required
        remembered = f"table-columns:{self.name}"
        if "columns" in params:
            chosen = {key.strip() for value in params.getlist("columns")[:50] for key in value.split(",")} & known
            # Nothing recognisable (or ?columns= alone) goes back to the defaults.
            if chosen:
                if request.session.get(remembered) != sorted(chosen):  # the same choice again writes nothing
                    request.session[remembered] = sorted(chosen)
            else:
                request.session.pop(remembered, None)
        else:
            chosen = set(request.session.get(remembered) or ()) & known  # a renamed column is simply forgotten
        return (chosen or default) | required


@dataclass
class BoundTable:
    table: Table
    page: Page
    sort: str  # the column the rows are sorted by, "" for the rows' own order
    descending: bool
    explicit_sort: str  # ?sort= as asked, when it named a sortable column
    shown: dict[str, bool]
    params: QueryDict
    path: str
    _headers: list[SafeString] = field(default_factory=list)

    def _query(self, **changes: Any) -> str:
        query = self.params.copy()
        for name in PARAMS_KEPT_OUT:
            query.pop(name, None)
        for name, value in changes.items():
            query.pop(name, None)
            if value:
                query[name] = value
        return query.urlencode()

    @property
    def query(self) -> str:
        """The filters and the sort, without the page: the pager adds its own."""
        return self._query()

    @property
    def kept(self) -> list[tuple[str, str]]:
        """The filters and the sort as (name, value) pairs, for hidden fields of a form that changes something else."""
        query = self.params.copy()
        for name in PARAMS_KEPT_OUT:
            query.pop(name, None)
        return [(name, value) for name, values in query.lists() for value in values]

    @property
    def choices(self) -> list[tuple[Column, bool]]:
        return [(c, self.shown[c.key]) for c in self.table.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.table.columns if c.required]

    @property
    def visible(self) -> list[Column]:
        return [c for c in self.table.columns if self.shown[c.key]]

    @property
    def headers(self) -> list[SafeString]:
        """The header cells of the visible columns: a sortable one links to its sort (the other way round when it
        is the current one), which `aria-sort` and a text for screen readers name."""
        if not self._headers:
            self._headers = [self._header(c) for c in self.visible]
        return self._headers

    def _header(self, column: Column) -> SafeString:
        if not column.sort:
            return format_html('<th scope="col">{}</th>', column.label)
        current = column.key == self.sort
        # The current column sorts the other way round; any other one ascending first.
        flipped = ("" if self.descending else "-") + column.key
        url = f"{self.path}?{self._query(sort=flipped if current else column.key)}"
        swap = ""
        if self.table.htmx_target:
            swap = format_html(
                ' hx-get="{}" hx-target="{}" hx-swap="outerHTML" hx-push-url="true"', url, self.table.htmx_target
            )
        if not current:
            return format_html('<th scope="col"><a href="{}"{}>{}</a></th>', url, swap, column.label)
        direction = "descending" if self.descending else "ascending"
        return format_html(
            '<th scope="col" aria-sort="{}"><a href="{}"{}>{}<span aria-hidden="true"> {}</span>'
            '<span class="visually-hidden"> (sorted {})</span></a></th>',
            direction,
            url,
            swap,
            column.label,
            "▼" if self.descending else "▲",
            direction,
        )
