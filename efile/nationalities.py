"""Nationality codes as client lists write them, normalised to one stored form.

Stored form: the three letters of ICAO Doc 9303 part 3 (which are ISO 3166-1 alpha-3 for
every state), with Germany as DEU (the MRZ writes it "D"), ICAO's own codes kept as they are
(XXA stateless, XXB/XXC refugees, XXX unspecified, UNO/UNA/UNK, the GB* classes of British
nationality, RKS Kosovo, EUE). It fits Person.nationality (String(3)) and is what the policy's
caseload rules name (team-ukr: UKR).

Accepted on import:
- ISO 3166-1 alpha-3 (current codes; a few withdrawn ones a long-standing registry still
  carries: YUG, SCG, SUN, CSK, ANT, with their historic names);
- ICAO 9303 codes: D, the XX*, GB*, UN* codes, RKS, EUE, and XKX (the EU's Kosovo code) as RKS;
- the 3-digit keys of the Federal Statistical Office (Destatis), as AZR and registry extracts
  carry them. Source: Destatis, Staats- und Gebietssystematik, "Codeliste Staatsangehörigkeit",
  version 2021-02-19 (XRepository urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:
  staatsangehoerigkeit_2021-02-19). Mapped here to the stored form by hand; 910 (internal
  use) is not a nationality and is refused; 997 staatenlos is XXA; 998 ungeklärt and 999 ohne
  Angabe are XXX (unspecified).
Names are German, as the office reads them (Auswärtiges Amt / Destatis short forms).
"""

from __future__ import annotations

import re

# ISO 3166-1 alpha-3 → German short name
ISO: dict[str, str] = {
    "AFG": "Afghanistan", "ALB": "Albanien", "DZA": "Algerien", "AND": "Andorra",
    "AGO": "Angola", "ATG": "Antigua und Barbuda", "ARG": "Argentinien", "ARM": "Armenien",
    "AUS": "Australien", "AUT": "Österreich", "AZE": "Aserbaidschan", "BHS": "Bahamas",
    "BHR": "Bahrain", "BGD": "Bangladesch", "BRB": "Barbados", "BLR": "Belarus",
    "BEL": "Belgien", "BLZ": "Belize", "BEN": "Benin", "BTN": "Bhutan", "BOL": "Bolivien",
    "BIH": "Bosnien und Herzegowina", "BWA": "Botsuana", "BRA": "Brasilien",
    "BRN": "Brunei Darussalam", "BGR": "Bulgarien", "BFA": "Burkina Faso", "BDI": "Burundi",
    "CPV": "Cabo Verde", "KHM": "Kambodscha", "CMR": "Kamerun", "CAN": "Kanada",
    "CAF": "Zentralafrikanische Republik", "TCD": "Tschad", "CHL": "Chile", "CHN": "China",
    "COL": "Kolumbien", "COM": "Komoren", "COG": "Kongo",
    "COD": "Kongo, Demokratische Republik", "CRI": "Costa Rica", "CIV": "Côte d’Ivoire",
    "HRV": "Kroatien", "CUB": "Kuba", "CYP": "Zypern", "CZE": "Tschechien", "DNK": "Dänemark",
    "DJI": "Dschibuti", "DMA": "Dominica", "DOM": "Dominikanische Republik", "ECU": "Ecuador",
    "EGY": "Ägypten", "SLV": "El Salvador", "GNQ": "Äquatorialguinea", "ERI": "Eritrea",
    "EST": "Estland", "SWZ": "Eswatini", "ETH": "Äthiopien", "FJI": "Fidschi",
    "FIN": "Finnland", "FRA": "Frankreich", "GAB": "Gabun", "GMB": "Gambia", "GEO": "Georgien",
    "DEU": "Deutschland", "GHA": "Ghana", "GRC": "Griechenland", "GRD": "Grenada",
    "GTM": "Guatemala", "GIN": "Guinea", "GNB": "Guinea-Bissau", "GUY": "Guyana",
    "HTI": "Haiti", "HND": "Honduras", "HUN": "Ungarn", "ISL": "Island", "IND": "Indien",
    "IDN": "Indonesien", "IRN": "Iran", "IRQ": "Irak", "IRL": "Irland", "ISR": "Israel",
    "ITA": "Italien", "JAM": "Jamaika", "JPN": "Japan", "JOR": "Jordanien",
    "KAZ": "Kasachstan", "KEN": "Kenia", "KIR": "Kiribati",
    "PRK": "Korea, Demokratische Volksrepublik", "KOR": "Korea, Republik", "KWT": "Kuwait",
    "KGZ": "Kirgisistan", "LAO": "Laos", "LVA": "Lettland", "LBN": "Libanon",
    "LSO": "Lesotho", "LBR": "Liberia", "LBY": "Libyen", "LIE": "Liechtenstein",
    "LTU": "Litauen", "LUX": "Luxemburg", "MDG": "Madagaskar", "MWI": "Malawi",
    "MYS": "Malaysia", "MDV": "Malediven", "MLI": "Mali", "MLT": "Malta",
    "MHL": "Marshallinseln", "MRT": "Mauretanien", "MUS": "Mauritius", "MEX": "Mexiko",
    "FSM": "Mikronesien", "MDA": "Moldau", "MCO": "Monaco", "MNG": "Mongolei",
    "MNE": "Montenegro", "MAR": "Marokko", "MOZ": "Mosambik", "MMR": "Myanmar",
    "NAM": "Namibia", "NRU": "Nauru", "NPL": "Nepal", "NLD": "Niederlande",
    "NZL": "Neuseeland", "NIC": "Nicaragua", "NER": "Niger", "NGA": "Nigeria",
    "MKD": "Nordmazedonien", "NOR": "Norwegen", "OMN": "Oman", "PAK": "Pakistan",
    "PLW": "Palau", "PSE": "Palästinensische Gebiete", "PAN": "Panama",
    "PNG": "Papua-Neuguinea", "PRY": "Paraguay", "PER": "Peru", "PHL": "Philippinen",
    "POL": "Polen", "PRT": "Portugal", "QAT": "Katar", "ROU": "Rumänien",
    "RUS": "Russische Föderation", "RWA": "Ruanda", "KNA": "St. Kitts und Nevis",
    "LCA": "St. Lucia", "VCT": "St. Vincent und die Grenadinen", "WSM": "Samoa",
    "SMR": "San Marino", "STP": "São Tomé und Príncipe", "SAU": "Saudi-Arabien",
    "SEN": "Senegal", "SRB": "Serbien", "SYC": "Seychellen", "SLE": "Sierra Leone",
    "SGP": "Singapur", "SVK": "Slowakei", "SVN": "Slowenien", "SLB": "Salomonen",
    "SOM": "Somalia", "ZAF": "Südafrika", "SSD": "Südsudan", "ESP": "Spanien",
    "LKA": "Sri Lanka", "SDN": "Sudan", "SUR": "Suriname", "SWE": "Schweden",
    "CHE": "Schweiz", "SYR": "Syrien", "TWN": "Taiwan", "TJK": "Tadschikistan",
    "TZA": "Tansania", "THA": "Thailand", "TLS": "Timor-Leste", "TGO": "Togo",
    "TON": "Tonga", "TTO": "Trinidad und Tobago", "TUN": "Tunesien", "TUR": "Türkei",
    "TKM": "Turkmenistan", "TUV": "Tuvalu", "UGA": "Uganda", "UKR": "Ukraine",
    "ARE": "Vereinigte Arabische Emirate", "GBR": "Vereinigtes Königreich",
    "USA": "Vereinigte Staaten", "URY": "Uruguay", "UZB": "Usbekistan", "VUT": "Vanuatu",
    "VAT": "Vatikanstadt", "VEN": "Venezuela", "VNM": "Vietnam", "YEM": "Jemen",
    "ZMB": "Sambia", "ZWE": "Simbabwe",
    # territories with their own codes (passports of Hong Kong, Macau; overseas areas)
    "HKG": "Hongkong", "MAC": "Macau", "ABW": "Aruba", "CUW": "Curaçao", "SXM": "Sint Maarten",
    "BMU": "Bermuda", "CYM": "Kaimaninseln", "GIB": "Gibraltar", "GRL": "Grönland",
    "FRO": "Färöer", "PRI": "Puerto Rico", "NCL": "Neukaledonien", "PYF": "Französisch-Polynesien",
    "ESH": "Westsahara", "COK": "Cookinseln", "NIU": "Niue",
    # withdrawn codes (ISO 3166-3) that old registry entries still carry
    "YUG": "Jugoslawien (ehemals)", "SCG": "Serbien und Montenegro (ehemals)",
    "SUN": "Sowjetunion (ehemals)", "CSK": "Tschechoslowakei (ehemals)",
    "ANT": "Niederländische Antillen (ehemals)",
}

# ICAO Doc 9303 part 3, codes that are no ISO 3166-1 states
ICAO: dict[str, str] = {
    "XXA": "staatenlos (Übereinkommen von 1954)",
    "XXB": "Flüchtling (Genfer Flüchtlingskonvention 1951)",
    "XXC": "Flüchtling (andere Rechtsgrundlage)",
    "XXX": "Staatsangehörigkeit ungeklärt",
    "UNO": "Vereinte Nationen (Bedienstete)",
    "UNA": "Sonderorganisation der Vereinten Nationen (Bedienstete)",
    "UNK": "Kosovo (UN-Übergangsverwaltung UNMIK)",
    "RKS": "Kosovo",
    "EUE": "Europäische Union (Bedienstete)",
    "GBD": "Britisch, Bürger eines Überseegebiets (BOTC)",
    "GBN": "Britisch, British National (Overseas)",
    "GBO": "Britisch, British Overseas Citizen",
    "GBP": "Britisch, British Protected Person",
    "GBS": "Britisch, British Subject",
}
# ICAO spellings that are stored as another code
ALIASES: dict[str, str] = {"D": "DEU", "XKX": "RKS"}

# Destatis Staatsangehörigkeitsschlüssel (see the module's source note) → stored form
DESTATIS: dict[str, str] = {
    "000": "DEU", "120": "YUG", "121": "ALB", "122": "BIH", "123": "AND", "124": "BEL",
    "125": "BGR", "126": "DNK", "127": "EST", "128": "FIN", "129": "FRA", "130": "HRV",
    "131": "SVN", "132": "SCG", "133": "SRB", "134": "GRC", "135": "IRL", "136": "ISL",
    "137": "ITA", "138": "YUG", "139": "LVA", "140": "MNE", "141": "LIE", "142": "LTU",
    "143": "LUX", "144": "MKD", "145": "MLT", "146": "MDA", "147": "MCO", "148": "NLD",
    "149": "NOR", "150": "RKS", "151": "AUT", "152": "POL", "153": "PRT", "154": "ROU",
    "155": "SVK", "156": "SMR", "157": "SWE", "158": "CHE", "159": "SUN", "160": "RUS",
    "161": "ESP", "162": "CSK", "163": "TUR", "164": "CZE", "165": "HUN", "166": "UKR",
    "167": "VAT", "168": "GBR", "169": "BLR", "170": "SRB", "181": "CYP", "185": "GBD",
    "221": "DZA", "223": "AGO", "224": "ERI", "225": "ETH", "226": "LSO", "227": "BWA",
    "229": "BEN", "230": "DJI", "231": "CIV", "232": "NGA", "233": "ZWE", "236": "GAB",
    "237": "GMB", "238": "GHA", "239": "MRT", "242": "CPV", "243": "KEN", "244": "COM",
    "245": "COG", "246": "COD", "247": "LBR", "248": "LBY", "249": "MDG", "251": "MLI",
    "252": "MAR", "253": "MUS", "254": "MOZ", "255": "NER", "256": "MWI", "257": "ZMB",
    "258": "BFA", "259": "GNB", "261": "GIN", "262": "CMR", "263": "ZAF", "265": "RWA",
    "267": "NAM", "268": "STP", "269": "SEN", "271": "SYC", "272": "SLE", "273": "SOM",
    "274": "GNQ", "276": "SDN", "277": "SDN", "278": "SSD", "281": "SWZ", "282": "TZA",
    "283": "TGO", "284": "TCD", "285": "TUN", "286": "UGA", "287": "EGY", "289": "CAF",
    "291": "BDI", "320": "ATG", "322": "BRB", "323": "ARG", "324": "BHS", "326": "BOL",
    "327": "BRA", "328": "GUY", "330": "BLZ", "332": "CHL", "333": "DMA", "334": "CRI",
    "335": "DOM", "336": "ECU", "337": "SLV", "340": "GRD", "345": "GTM", "346": "HTI",
    "347": "HND", "348": "CAN", "349": "COL", "351": "CUB", "353": "MEX", "354": "NIC",
    "355": "JAM", "357": "PAN", "359": "PRY", "361": "PER", "364": "SUR", "365": "URY",
    "366": "LCA", "367": "VEN", "368": "USA", "369": "VCT", "370": "KNA", "371": "TTO",
    "411": "HKG", "412": "MAC", "421": "YEM", "422": "ARM", "423": "AFG", "424": "BHR",
    "425": "AZE", "426": "BTN", "427": "MMR", "429": "BRN", "430": "GEO", "431": "LKA",
    "432": "VNM", "434": "PRK", "436": "IND", "437": "IDN", "438": "IRQ", "439": "IRN",
    "441": "ISR", "442": "JPN", "444": "KAZ", "445": "JOR", "446": "KHM", "447": "QAT",
    "448": "KWT", "449": "LAO", "450": "KGZ", "451": "LBN", "454": "MDV", "456": "OMN",
    "457": "MNG", "458": "NPL", "459": "PSE", "460": "BGD", "461": "PAK", "462": "PHL",
    "465": "TWN", "467": "KOR", "469": "ARE", "470": "TJK", "471": "TKM", "472": "SAU",
    "474": "SGP", "475": "SYR", "476": "THA", "477": "UZB", "479": "CHN", "482": "MYS",
    "483": "TLS", "523": "AUS", "524": "SLB", "526": "FJI", "530": "KIR", "531": "NRU",
    "532": "VUT", "536": "NZL", "537": "PLW", "538": "PNG", "540": "TUV", "541": "TON",
    "543": "WSM", "544": "MHL", "545": "FSM",
    "997": "XXA", "998": "XXX", "999": "XXX",
}

NAMES: dict[str, str] = {**ISO, **ICAO}


class UnknownNationality(ValueError):
    pass


def normalise(code: str) -> str:
    """The stored form of a nationality as a registry writes it (TUR, D, XXA, 163), or
    UnknownNationality naming what it is not."""
    raw = code.strip().upper()
    if re.fullmatch(r"\d{1,3}", raw):
        key = raw.zfill(3)
        if key in DESTATIS:
            return DESTATIS[key]
        raise UnknownNationality(f"nationality {code.strip()!r} is not a Destatis nationality "
                                 "key (Staatsangehörigkeitsschlüssel) this office knows")
    raw = raw.rstrip("<")  # 'D<<' as copied from an MRZ
    raw = ALIASES.get(raw, raw)
    if raw in NAMES:
        return raw
    raise UnknownNationality(f"nationality {code.strip()!r} is not an ISO 3166-1 alpha-3 code, "
                             "an ICAO 9303 code or a Destatis nationality key")


def name(code: str | None) -> str:
    """The German name of a stored code ("Türkei"); an unknown one as it is, none as '–'."""
    if not code:
        return "–"
    return NAMES.get(code.upper(), code)
