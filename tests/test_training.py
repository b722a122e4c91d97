"""Training: people's decisions become labels, the trained model is stored in object storage,
activated, and used by every process that classifies."""

from __future__ import annotations

from sqlalchemy import select

from efile.context import get_context
from efile.models import ClassifierModel
from efile.samples.born_digital import write_text_pdf
from efile.services import classification
from efile.services.inbox import assign, reclassify
from efile.services.persons import import_csv
from pipelines.flows import run_ingest

ATTEST = ["Praxis Dr. med. Hülya Demir · Fachärztin für Innere Medizin",
          "Ärztliche Bescheinigung",
          "Frau Olena Petrenko, geb. 12.03.1984, befindet sich seit 2024 in meiner",
          "Behandlung. Aus medizinischer Sicht ist eine Reise derzeit nicht zumutbar."]


def test_a_persons_label_trains_the_next_model_which_every_process_then_uses(fresh_home, tmp_path):
    ctx = get_context()
    with ctx.db.session() as s:
        import_csv(s, b"aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,"
                      b"passport_numbers\nABH-2024-000123,Petrenko,Olena,1984-03-12,UKR,,\n",
                   aktenzeichen_pattern=ctx.settings.aktenzeichen_pattern)
    (r,) = run_ingest([str(write_text_pdf(tmp_path / "scan.pdf", [ATTEST]))])
    with ctx.db.session() as s:
        if r["status"] == "inbox":
            assign(s, ctx.store, r["document_id"], "ABH-2024-000123", actor="sb.a", doc_type="medical_attest")
        else:
            reclassify(s, ctx.store, r["document_id"], "medical_attest", actor="sb.a")
    assert classification.human_labels(ctx)[0][1] == "medical_attest"

    first = classification.train(ctx, per_class=3)
    assert first["human_labels"] == 1 and first["active"] and first["check_macro_f1"] > 0.9
    assert ctx.store.head(first["object_key"]).sha256 == first["sha256"]
    second = classification.train(ctx, per_class=3)
    with ctx.db.session() as s:
        rows = {m.id: m.active for m in s.scalars(select(ClassifierModel))}
    assert rows == {first["model_id"]: False, second["model_id"]: True}

    # another process (no model in memory) loads the active one from object storage
    classification.forget_loaded()
    assert classification.active_model(ctx).meta["id"] == second["model_id"]
    classification.forget_loaded()
