"""The low-performing cluster action plan (Pull and Push strategies), as in ``microplan.md``."""

from __future__ import annotations

from typing import Final

from clusterbook.forms.schema import Field, Form, Kind, RecordSection, TableSection

STRATEGIES: Final = ("Pull", "Push")
ACTION_STATUSES: Final = ("Planned", "In progress", "Done", "Dropped")

DETAILS = RecordSection(
    key="details", title="Low-performing cluster action plan", sheet="Action plan",
    first_row=3,
    fields=(
        Field("province", "Province", required=True, width=28),
        Field("district", "District", required=True),
        Field("prepared_by", "Prepared by", required=True),
        Field("prepared_on", "Date prepared", Kind.DATE, required=True,
              help="The date this plan was completed; the newer plan replaces an older one."),
    ),
)

ACTIONS = TableSection(
    key="actions", title="Actions", sheet="Action plan", title_row=8, header_row=9, rows=40,
    fields=(
        Field("cluster_code", "Cluster code", required=True, width=12,
              help="A cluster on the low-performing list."),
        Field("strategy", "Strategy (Pull / Push)", Kind.CHOICE, required=True,
              choices=STRATEGIES, width=12, aliases=("Strategy",),
              help="Pull: demand, behaviour. Push: supply, operations."),
        Field("bottleneck", "Bottleneck", required=True, width=28),
        Field("corrective_action", "Corrective action", required=True, width=30),
        Field("responsible", "Responsible", required=True, width=18),
        Field("deadline", "Deadline", Kind.DATE, required=True, width=12),
        Field("supervisor", "Supervisor accountable", width=18),
        Field("status", "Status", Kind.CHOICE, required=True, choices=ACTION_STATUSES,
              width=12),
        Field("follow_up", "Follow-up note", width=30),
    ),
)

ACTION_PLAN = Form(
    form_id="lpc-action-plan",
    version="2025.1",
    title="Low-Performing Cluster Action Plan (Pull / Push)",
    sections=(DETAILS, ACTIONS),
    cluster_field=("actions", "cluster_code"),
    dated_by=(("details", "prepared_on"),),
    plural="Action plans",
    instructions=(
        "One row per action, for clusters on the low-performing list.",
        "Pull actions raise demand (behaviour, trust, refusals); Push actions fix supply "
        "(teams, access, vaccine, supervision).",
        "Pick the strategy and the status from the lists in the cells.",
        "Update the status and the follow-up note as actions progress, and send the file again.",
    ),
)
