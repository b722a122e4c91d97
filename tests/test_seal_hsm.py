"""The seal from a key in a hardware security module (PKCS#11), tested against SoftHSM2 with
a token the test creates: the key never leaves the module, the seal verifies like one from a
PKCS#12 file, and a wrong PIN is a clear configuration error."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pki import make_seal_pki

from efile.config import Pkcs11Key, Settings
from efile.errors import ConfigError
from efile.samples.born_digital import write_text_pdf
from pipelines.steps.transfer import seal_config
from pipelines.tools.seal import SealConfig, check_pdf_seal, load_roots, seal_pdf

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "4711-test"


@pytest.fixture(scope="module")
def hsm(tmp_path_factory):
    if not MODULE.exists() or not shutil.which("pkcs11-tool"):
        if os.environ.get("CI") == "true":
            pytest.fail("SoftHSM2 / OpenSC missing: deploy/setup.sh test installs them")
        pytest.skip("SoftHSM2 / OpenSC not installed (Debian softhsm2, opensc)")
    root = tmp_path_factory.mktemp("hsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    os.environ["SOFTHSM2_CONF"] = str(conf)  # the library in this process reads it too
    pki = make_seal_pki(root / "pki")
    key, cert, _ = pkcs12.load_key_and_certificates(pki["pkcs12"].read_bytes(),
                                                    pki["passphrase"])
    (root / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (root / "cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))

    def run(*args: str) -> None:
        subprocess.run(args, env=env, check=True, capture_output=True)

    run("softhsm2-util", "--init-token", "--free", "--label", "efile-siegel", "--pin", PIN,
        "--so-pin", "so-4711-test")
    run("softhsm2-util", "--import", str(root / "key.pem"), "--token", "efile-siegel",
        "--label", "siegel", "--id", "01", "--pin", PIN)
    run("pkcs11-tool", "--module", str(MODULE), "--token-label", "efile-siegel", "--login",
        "--pin", PIN, "--write-object", str(root / "cert.der"), "--type", "cert",
        "--label", "siegel", "--id", "01")
    (root / "key.pem").unlink()  # from here on the key exists only inside the token
    yield {"root": pki["root"], "tmp": root}
    os.environ.pop("SOFTHSM2_CONF", None)


def test_a_seal_from_the_hsm_verifies(hsm):
    settings = Settings.from_env({"EFILE_HOME": str(hsm["tmp"]),
                                  "EFILE_SEAL_PKCS11_MODULE": str(MODULE),
                                  "EFILE_SEAL_PKCS11_TOKEN": "efile-siegel",
                                  "EFILE_SEAL_PKCS11_KEY": "siegel",
                                  "EFILE_SEAL_PKCS11_PIN": PIN})
    cfg = seal_config(settings)
    assert cfg is not None and cfg.pkcs11 is not None and cfg.pkcs12 is None
    pdf = write_text_pdf(hsm["tmp"] / "brief.pdf", [["Bescheid", "Seite 1"]]).read_bytes()
    sealed = seal_pdf(pdf, cfg, reason="Test")
    status = check_pdf_seal(sealed, load_roots(hsm["root"]))
    assert status.ok, status.problems
    assert "efile Test Siegel" in status.signer or status.signer


def test_a_wrong_pin_or_token_is_a_clear_configuration_error(hsm):
    pdf = write_text_pdf(hsm["tmp"] / "b.pdf", [["x"]]).read_bytes()
    for token, pin in (("efile-siegel", "falsch"), ("kein-token", PIN)):
        cfg = SealConfig(None, None, pkcs11=Pkcs11Key(MODULE, token, "siegel", pin))
        with pytest.raises(ConfigError, match=f"cannot open the seal key's token '{token}'"):
            seal_pdf(pdf, cfg, reason="Test")
