"""Sign-off parsing and the gazetteer, on sign-offs written for these tests."""

from __future__ import annotations

import pytest

from curator.understand.gazetteer import find_place
from curator.understand.names import is_valediction, read_block
from curator.understand.signoff import parse_signoff

BODY = "Let them in, with checks.\n\n"


@pytest.mark.parametrize(
    ("signoff", "from_name", "name", "location"),
    [
        ("— Jane Doe, Lisbon, Portugal", None, "Jane Doe", "Lisbon, Portugal"),
        ("Priya from Toronto", "P. Raman", "Priya", "Toronto"),
        ("Best,\nAustin, TX", "Maria Gonzalez", "Maria Gonzalez", "Austin, TX"),
        ("Regards,\nTom Hale\nYork", None, "Tom Hale", "York"),
        ("Ann & Bob Smith\nHalifax, Nova Scotia", None, "Ann & Bob Smith", "Halifax, Nova Scotia"),
        ("Dr. Amira Haddad (Beirut)", None, "Dr. Amira Haddad", "Beirut"),
        ("J.K., Oslo", "jk1977", "J.K.", "Oslo"),
        ("Cheers,\nSam", "Samuel Whitaker", "Sam", None),
        ("- Antwerp", "Joost Verhaegen", "Joost Verhaegen", "Antwerp"),
        ("Кирилл Одинцов (Kirill Odintsov), Бишкек / Bishkek", None, "Kirill Odintsov", "Bishkek"),
        (
            "Mit freundlichen Grüßen\n\nDr. Jens Kraus\nKöln, Deutschland",
            None,
            "Dr. Jens Kraus",
            "Köln, Deutschland",
        ),
        ("Chloé D., 19, Brussels", None, "Chloé D.", "Brussels"),
        ("Barbara, a retired teacher in Leeds", None, "Barbara", "Leeds"),
        ("Olena Petrenko (Kyiv, now in Kraków)", None, "Olena Petrenko", "Kyiv, now in Kraków"),
        (
            "Capt. Sarah Nguyen, USN (ret.)\nNorfolk, VA",
            None,
            "Capt. Sarah Nguyen, USN (ret.)",
            "Norfolk, VA",
        ),
        ("Warm wishes from Porto,\nRui", None, "Rui", "Porto"),
        ("Sincerely yours,\nDr. med. Hans Meier\nBasel", None, "Dr. med. Hans Meier", "Basel"),
        ("Cheers,\nFlorence", None, "Florence", None),
        ("Cheers, Sam\nLeeds", None, "Sam", "Leeds"),
        ("Name: Bob Jones\nLocation: Leeds, UK", None, "Bob Jones", "Leeds, UK"),
        ("/John", "John Berg", "John", None),
        (
            "Malcolm (Colchester)\n\nMalcolm Etherington\nSenior Lecturer",
            None,
            "Malcolm Etherington",
            "Colchester",
        ),
    ],
)
def test_name_and_place(
    signoff: str, from_name: str | None, name: str, location: str | None
) -> None:
    got = parse_signoff(BODY + signoff, from_name)
    assert (got.name, got.location) == (name, location)
    assert got.body == BODY.strip()


@pytest.mark.parametrize(
    "text",
    [
        BODY + "Please withhold my name - Thessaloniki, Greece",
        BODY + "A reader in Riga",
        BODY + 'just "a reader in Riga"',
        "Ban them, but please don't print my name.\n\nAnna Berg\nRiga",
    ],
)
def test_withhold_requests_blank_the_name_and_keep_the_place(text: str) -> None:
    got = parse_signoff(text, "Anna Berg")
    assert got.withhold_name and got.name is None
    assert got.location in ("Thessaloniki, Greece", "Riga")


def test_postscript_after_the_signoff_stays_in_the_reply() -> None:
    got = parse_signoff(BODY + "Cornelius Ampofo, Bristol\n\nP.S. Great issue.", None)
    assert got.body == "Let them in, with checks.\n\n\nP.S. Great issue."
    assert (got.name, got.location) == ("Cornelius Ampofo", "Bristol")


def test_disclaimer_is_cut_but_not_read_as_a_signoff() -> None:
    text = BODY + "Ruth Lee\nBoston, MA\n\nCONFIDENTIALITY NOTICE: This email may contain secrets."
    got = parse_signoff(text, None)
    assert (got.name, got.location) == ("Ruth Lee", "Boston, MA")
    assert got.cut.startswith("CONFIDENTIALITY NOTICE")


@pytest.mark.parametrize("reply", ["Unsubscribe", "Agreed.", "Let them in.", "OK"])
def test_a_one_line_reply_is_not_taken_for_a_name(reply: str) -> None:
    got = parse_signoff(reply, "Ben Hall")
    assert got.body == reply and got.signoff == ""


def test_name_given_in_the_reply() -> None:
    got = parse_signoff("Arjun Mehrotra from Pune here. Only if they bring their papers.", None)
    assert (got.name, got.location) == ("Arjun Mehrotra", "Pune")
    got = parse_signoff("Just call me Bob from Florida. Keep them out.", "R. Smith")
    assert (got.name, got.location) == ("Bob", "Florida")


def test_from_display_name_fallback() -> None:
    assert parse_signoff("Yes.", "Lee, Daniel").name == "Daniel Lee"
    assert parse_signoff("Yes.", "jsmith42").name is None
    assert parse_signoff("Yes.", None).name is None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Bethesda, MD", "US"),
        ("Vancouver BC", "CA"),
        ("Ghent (Belgium)", "BE"),
        ("Valencia, España", "ES"),
        ("Newry, Co. Down", "GB"),
        ("Івано-Франківськ", "UA"),
        ("Łomża", "PL"),
    ],
)
def test_gazetteer_finds_places_with_their_country(text: str, country: str) -> None:
    place = find_place(text)
    assert place is not None and place.country == country


@pytest.mark.parametrize("text", ["OK", "hi", "Kind regards", "Tom Hale", "Gaz, Sunderland", ""])
def test_gazetteer_rejects_what_is_not_a_place(text: str) -> None:
    assert find_place(text) is None


@pytest.mark.parametrize(
    "line",
    [
        "Best,",
        "Kind regards",
        "Cheers!",
        "Thanks,",
        "Many thanks",
        "Yours sincerely,",
        "Mit freundlichen Grüßen",
        "Viele Grüße aus Hamburg,",
        "Cordialement,",
        "Un saludo,",
        "Cordiali saluti,",
        "Pozdrawiam",
        "Met vriendelijke groet,",
        "Lugupidamisega",
        "С уважением,",
        "Med vennlig hilsen",
        "Vänliga hälsningar",
        "Terveisin",
        "Greetings from Porto!",
    ],
)
def test_valedictions(line: str) -> None:
    assert is_valediction(line)


@pytest.mark.parametrize(
    "line", ["Thanks for the piece, it was great.", "Merci de me désabonner.", "Best of luck"]
)
def test_not_valedictions(line: str) -> None:
    assert not is_valediction(line)


@pytest.mark.parametrize("slogan", ["God Bless America", "Never Again", "Keep Europe Safe"])
def test_a_slogan_under_the_reply_is_not_the_senders_name(slogan: str) -> None:
    got = parse_signoff(BODY + slogan, "Jim Beam")
    assert got.name == "Jim Beam" and got.body.endswith(slogan)


@pytest.mark.parametrize("signed", ["Jim", "JB", "J.B.", "Jimmy B."])
def test_the_senders_own_short_forms_are_names(signed: str) -> None:
    got = parse_signoff(BODY + signed, "Jim Beam")
    assert got.name == signed and got.body == BODY.strip()


def test_a_paragraph_that_opens_like_a_disclaimer_but_is_not_one_stays() -> None:
    text = "This message is long, sorry.\n\nLet them in, all of them.\n\nAnn Lee, Oslo"
    got = parse_signoff(text, None)
    assert got.body == "This message is long, sorry.\n\nLet them in, all of them." and not got.cut


def test_block_reading_depends_on_the_from_name_only_where_it_should() -> None:
    # A sign-off line is read once (cached) and resolved against each From name.
    assert read_block(["Ghent (Belgium)"], None).location == "Ghent (Belgium)"
    assert read_block(["Ghent (Belgium)"], "Ghent Smith").name == "Ghent"
    assert read_block(["Cheers,", "Florence"], None).name == "Florence"
    assert read_block(["Florence"], None).name is None
    assert read_block(["Florence"], "Florence Welch").name == "Florence"
    assert read_block(["Best,", "Location: Lisbon"], "Ann Lee").location == "Lisbon"
