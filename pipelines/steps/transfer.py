"""The transfer note (Transfervermerk, BSI TR-03138 A.NB.4) of a scanned document: who
scanned it, with what (profile, software versions, procedure documentation), anomalies,
when, the quality-control result so far, and the statement that the scan matches the paper.

It is bound to the document twice: embedded in the archive PDF's XMP metadata (declared with
a PDF/A extension schema, so the file stays PDF/A) before the seal is applied, and stored as
JSON beside it with the archive copy's SHA-256, under the document's id.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import pikepdf

from pipelines.tools.seal import SealConfig, seal_pdf
from storage import ObjectStore, canonical_json, sha256_bytes
from storage.keys import transfer_note_key

from .archive import Archive

NS = "http://ns.efile.dev/transfervermerk/1.0/"
PREFIX = "tv"
# the first note is written when the scan is stored, before any person looked at it: it
# says what the automatic checks found and that the quality control is still to come; the
# note completed after the release (pipelines/release.py) states the QC's result
STATEMENT = ("Das Scanprodukt wurde bei der Erfassung automatisch geprüft (Seitenzahl, "
             "Leerseiten, Lesbarkeit); die Qualitätssicherung nach Stichprobe steht noch aus.")

_EXTENSION = f"""<rdf:Description rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
 <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
  <pdfaSchema:schema>efile Transfervermerk (BSI TR-03138 A.NB.4)</pdfaSchema:schema>
  <pdfaSchema:namespaceURI>{NS}</pdfaSchema:namespaceURI>
  <pdfaSchema:prefix>{PREFIX}</pdfaSchema:prefix>
  <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
   <pdfaProperty:name>Transfervermerk</pdfaProperty:name>
   <pdfaProperty:valueType>Text</pdfaProperty:valueType>
   <pdfaProperty:category>internal</pdfaProperty:category>
   <pdfaProperty:description>Transfer note as JSON</pdfaProperty:description>
  </rdf:li></rdf:Seq></pdfaSchema:property>
 </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


@lru_cache(maxsize=1)
def software() -> dict[str, str]:
    """Versions of what made the scan product; fixed for the life of a process."""
    out = {}
    for pkg in ("efile", "pikepdf", "pyhanko", "zxing-cpp", "scikit-learn"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            continue
    from pipelines.tools import tesseract

    out["tesseract"] = tesseract.version()
    return out


def make_note(*, document_id: str, original_sha256: str, batch: dict, pages: list[int],
              blanks: list[int], anomalies: list[str], procedure_doc: str) -> dict:
    return {
        "format": "efile-transfervermerk/1",
        "document_id": document_id,
        "original_sha256": original_sha256,  # the document's pages as cut from the scan
        "scan_file": batch["scan_file"],  # the whole stack as scanned: {name, sha256}
        "batch_id": batch["batch_id"],
        "pages_in_scan_file": pages,
        "blank_pages_dropped": blanks,
        "created_by": batch["operator"],  # a person, never only the organisation (A.NB.4 a)
        "environment": {"scan_profile": batch["profile"], "software": dict(software()),
                        "procedure_documentation": procedure_doc},
        "anomalies": anomalies,
        "scanned_at": batch["scanned_at"],
        "noted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quality_control": {"state": "pending", "automatic_checks": "passed" if not anomalies
                            else "flagged"},
        "statement": STATEMENT,
    }


def final_note(first: dict, *, first_sha256: str, qc: dict, released_by: str,
               released_at: str) -> dict:
    """The transfer note completed after quality control (A.NB.4: the QC result belongs in
    it): the first note's content, the QC result for this document and the release of the
    batch, naming the hash of the note it completes."""
    state = qc["state"] if qc["state"] != "none" else "not selected (not in the sample)"
    return {**first, "format": "efile-transfervermerk/2", "completes_sha256": first_sha256,
            "quality_control": {**qc, "state": state,
                                "automatic_checks": first["quality_control"]["automatic_checks"]},
            "released": {"by": released_by, "at": released_at}, "noted_at": released_at}


def note_sha256(note: dict) -> str:
    return hashlib.sha256(canonical_json(note)).hexdigest()


def store_note(store: ObjectStore, document_id: str, version: int, note: dict,
               archive_sha256: str) -> dict:
    """Put a transfer note beside the archive copy, bound to it by the document id and the
    copy's hash (write-once); returns its key and hash for the document's fields."""
    key, sha = transfer_note_key(document_id, version), note_sha256(note)
    store.put(key, json.dumps({"note": note, "note_sha256": sha,
                               "archive_sha256": archive_sha256},
                              ensure_ascii=False, indent=1).encode(),
              write_once=True, content_type="application/json")
    return {"key": key, "sha256": sha}


def embed_note(pdf: bytes, note: dict) -> bytes:
    """The PDF with the note in its XMP (and the extension schema that declares it)."""
    from xml.sax.saxutils import escape

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xmp = doc.Root.Metadata.read_bytes().decode() if "/Metadata" in doc.Root else None
        if xmp is None:
            raise ValueError("the archive copy has no XMP metadata to extend")
        block = (_EXTENSION + f'\n<rdf:Description rdf:about="" xmlns:{PREFIX}="{NS}">'
                 f"<{PREFIX}:Transfervermerk>{escape(canonical_json(note).decode())}"
                 f"</{PREFIX}:Transfervermerk></rdf:Description>\n")
        xmp = xmp.replace("</rdf:RDF>", block + "</rdf:RDF>", 1)
        doc.Root.Metadata = doc.make_stream(xmp.encode())
        doc.Root.Metadata.Type = pikepdf.Name.Metadata
        doc.Root.Metadata.Subtype = pikepdf.Name.XML
        buf = io.BytesIO()
        doc.save(buf, static_id=True)
        return buf.getvalue()


def read_note(pdf: bytes) -> dict | None:
    """The note from the XMP, as element or attribute (a signer may re-serialise the XMP:
    pyHanko writes simple properties as attributes with a prefix of its own)."""
    import xml.etree.ElementTree as ET

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if "/Metadata" not in doc.Root:
            return None
        xmp = doc.Root.Metadata.read_bytes()
    tag = f"{{{NS}}}Transfervermerk"
    try:
        root = ET.fromstring(xmp.decode(errors="replace").split("?>", 1)[-1]
                             .rsplit("<?xpacket", 1)[0])
    except ET.ParseError:
        return None
    for el in root.iter():
        value = el.text if el.tag == tag else el.attrib.get(tag)
        if value:
            return json.loads(value)
    return None


def seal_config(settings) -> SealConfig | None:  # noqa: ANN001 - efile.config.Settings
    if settings.seal_pkcs11 is not None:
        return SealConfig(None, None, settings.tsa_url, pkcs11=settings.seal_pkcs11)
    if settings.seal_pkcs12 is None:
        return None
    passphrase = settings.seal_passphrase.encode() if settings.seal_passphrase else None
    return SealConfig(settings.seal_pkcs12, passphrase, settings.tsa_url)


def finish_scan_product(archive: Archive, note: dict, cfg: SealConfig | None) -> Archive:
    """Embed the transfer note, then seal the archive copy (integrity as early as possible:
    before it is stored, before anyone reads it)."""
    pdf = embed_note(archive.pdf, note)
    notes = list(archive.notes)
    if cfg is not None:
        pdf = seal_pdf(pdf, cfg, reason="Integritätssicherung nach BSI TR-03138 (A.NB.4)")
        notes.append("sealed (PAdES)" + (" with timestamp" if cfg.tsa_url else ""))
    else:
        notes.append("no seal key configured (EFILE_SEAL_PKCS12): transfer note and scan "
                     "product are protected by their stored hashes only")
    return Archive(pdf, sha256_bytes(pdf), archive.format, notes, sealed=cfg is not None)
