from classifiers.mrz import check_digit, td3_lines, transliterate


def test_icao_specimen_check_digits():
    # ICAO Doc 9303 part 4 specimen (Anna Maria Eriksson, Utopia)
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("ZE184226B<<<<<") == "1"


def test_td3_composition_matches_specimen():
    l1, l2 = td3_lines(doc_code="P", issuer="UTO", surname="Eriksson", given_names="Anna Maria",
                       number="L898902C3", nationality="UTO", birth_date="740812", sex="F",
                       expiry_date="120415", optional="ZE184226B")
    assert l1 == "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    assert l2 == "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_transliteration():
    assert transliterate("Müller-Lüdenscheidt") == "MUELLER<LUEDENSCHEIDT"
    assert transliterate("Öztürk") == "OEZTUERK"
    assert transliterate("Weiß") == "WEISS"
