"""The readiness board as plain text."""

from goldthread.readiness.selectors import Board


def board_lines(found: Board) -> list[str]:
    """The board as plain lines, for the command line and for e-mail."""
    e = found.event
    countries = ", ".join(r.country.name for r in found.rules) or "no country"
    lines = [f"{e.code} {e.name}: {e.start_date:%d %b %Y} to {e.end_date:%d %b %Y}, {countries}."]
    lines.append(f"As of {found.today:%d %b %Y}. Business days skip weekends; weekend deadlines move to the Friday.")
    lines += [f"No entry rules recorded for {c.name}: defaults apply." for c in found.defaulted]
    lines.append("")
    lines.append("Deadlines")
    for m in found.milestones:
        status = m.status.label if m.status else ""
        lines.append(f"  {m.deadline.date:%a %d %b %Y}  {m.deadline.label:<54} {m.deadline.lead:<38} {status}".rstrip())
    lines.append("")
    summary = ", ".join(f"{found.counts[s]} {s.label}" for s in found.counts)
    lines.append(f"Travelers: {len(found.rows)} ({summary})" if found.rows else "Travelers: none yet")
    for row in found.rows:
        t = row.traveler
        lines.append(f"  {t.name} ({t.unit.short_name}): {row.status.label if row.status else 'nothing required'}")
        for i in row.items:
            when = f"{i.deadline:%d %b %Y}" if i.deadline else "-"
            lines.append(f"    {i.status.label:<9} {when:<12} {i.label}: {i.reason}")
    return lines
