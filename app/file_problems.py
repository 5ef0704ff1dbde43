"""What is wrong with an uploaded file, in the reader's language.

``loaders.localfile`` writes its refusals in English for analysts at the command line; an upload on a Spanish
page shows them in Spanish. Each rule rewrites one kind of refusal, the cell's own text (quoted) kept as it is;
``tests/test_spanish_everywhere.py`` runs every bad file the validator's tests know through ``in_language`` and
fails on an English word left over.

>>> in_language("line 2, column 'value': 'abc' is not a number; leave the cell empty for a missing observation", "es")
"línea 2, columna 'value': 'abc' no es un número; deje la celda vacía para un dato que falta"
>>> in_language("line 2: anything", "en")
'line 2: anything'
"""

from __future__ import annotations

import re

from loaders.localfile import COUNTRY_EXPECTED, DATE_EXPECTED, PLAIN_EXPECTED

V = r"(?P<v>.+?)"  # the cell's own text, quoted by the validator
RULES_ES: list[tuple[str, str]] = [
    # where: "line 3, column 'date'", "row 2, column B ('value')", "line 1"
    (r"^line (\d+)", r"línea \1"),
    (r"^row (\d+)", r"fila \1"),
    (r"^(línea|fila) (\d+), column ", r"\1 \2, columna "),
    # what was expected, as the validator says it at the end of many refusals
    (
        re.escape(PLAIN_EXPECTED),
        "se espera un número simple como 1234.5 (sin separador de miles, con '.' para los decimales)",
    ),
    (
        re.escape(DATE_EXPECTED),
        "se espera AAAA-MM-DD (p. ej. 2020-04-20), AAAA-MM (p. ej. 2020-04) o AAAA (p. ej. 2020)",
    ),
    (re.escape(COUNTRY_EXPECTED), "se espera un código ISO 3166-1 alfa-3 como VEN o COL (o WLD, LCN)"),
    # the whole file
    (
        r"the file is empty \(0 bytes\); expected a header line such as 'date,value' and at least one row",
        "el archivo está vacío (0 bytes); se espera una línea de encabezado como 'date,value' y al menos una fila",
    ),
    (
        r"the file is ([\d,]+) bytes, over the ([\d,]+)-byte limit \((\d+) MB\); expected a smaller file: split it, "
        r"or keep only the columns date, value\[, country, status\]",
        r"el archivo tiene \1 bytes, más que el límite de \2 bytes (\3 MB): divídalo o deje solo las columnas date, "
        r"value[, country, status]",
    ),
    (
        r"byte offset (\d+) \(line (\d+), byte (\d+) of that line\) is (0x[0-9A-F]+), which is not valid UTF-8; "
        r"expected UTF-8 text \(with or without BOM\)\.",
        r"el byte \1 (línea \2, byte \3 de esa línea) es \4, que no es UTF-8 válido; se espera texto UTF-8 (con o sin "
        r"BOM).",
    ),
    (
        r" It looks like Windows-1252/Latin-1, where that byte is (.+?): re-save the file as CSV UTF-8",
        r" Parece Windows-1252/Latin-1, donde ese byte es \1: guarde el archivo de nuevo como CSV UTF-8",
    ),
    (
        r"is UTF-16 \(byte order mark ([0-9A-F ]+) at byte 0\); expected UTF-8: in Excel use Save As > CSV UTF-8 "
        r"\(Comma delimited\)",
        r"está en UTF-16 (marca de orden de bytes \1 en el byte 0); se espera UTF-8: en Excel use Guardar como > "
        r"CSV UTF-8 (delimitado por comas)",
    ),
    (
        r"is an Excel workbook \(a zip file\), not CSV text; expected CSV: rename it to \.xlsx",
        "es un libro de Excel (un archivo zip), no texto CSV: cambie su extensión a .xlsx",
    ),
    (
        r"is an old Excel \.xls workbook; expected \.xlsx or \.csv: in Excel use Save As > Excel Workbook",
        "es un libro antiguo de Excel (.xls); se espera .xlsx o .csv: en Excel use Guardar como > Libro de Excel",
    ),
    (
        r"has a header but no data rows below it; expected at least one row",
        "tiene encabezado pero ninguna fila de datos debajo; se espera al menos una fila",
    ),
    (
        r"has no observations: every value cell is empty; expected at least one number",
        "no tiene observaciones: todas las celdas de value están vacías; se espera al menos un número",
    ),
    (r"… and ([\d,]+) more problems", r"… y \1 problemas más"),
    (
        r"stopped after the first (\d+) problems; ([\d,]+) more (lines|rows) not checked",
        r"se detuvo tras los primeros \1 problemas; \2 filas más sin revisar",
    ),
    (
        r"stopped after the first (\d+) problems; rows after (\d+) not checked",
        r"se detuvo tras los primeros \1 problemas; las filas después de la \2 no se revisaron",
    ),
    # the header and the columns
    (
        r"columns are separated by (.+?) \((.+?)\); expected commas, as in 'date,value' \(in Excel: Save As > "
        r"CSV UTF-8 \(Comma delimited\)\)",
        r"las columnas están separadas por \1 (\2); se esperan comas, como en 'date,value' (en Excel: Guardar como > "
        r"CSV UTF-8 (delimitado por comas))",
    ),
    (
        r"column (.+?) is not part of the format \(rename it to (.+?)\)",
        r"la columna \1 no es parte del formato (cámbiele el nombre a \2)",
    ),
    (r"column (.+?) is not part of the format", r"la columna \1 no es parte del formato"),
    (r"; expected only date, value, country, status", "; solo se admiten date, value, country, status"),
    (
        r"there is no (.+?) column \(the header is (.+?)\); expected the columns date,value",
        r"no hay columna \1 (el encabezado es \2); se esperan las columnas date,value",
    ),
    (
        r"column (.+?) appears twice; expected each column once",
        r"la columna \1 aparece dos veces; se espera cada una una vez",
    ),
    (
        r"has data to the right of the last named column; expected none",
        "tiene datos a la derecha de la última columna con nombre; no se esperan",
    ),
    (r"has (\d+) cells but the header has (\d+) \((.+?)\)", r"tiene \1 celdas pero el encabezado tiene \2 (\3)"),
    (
        r"; expected one cell per column: a number written with a thousands separator or a decimal comma "
        r"\(1,234\.5 or 3,5\) splits into two cells: write 1234\.5 or 3\.5",
        "; se espera una celda por columna: un número escrito con separador de miles o coma decimal (1,234.5 o 3,5) "
        "se parte en dos celdas: escriba 1234.5 o 3.5",
    ),
    (
        r"; expected one cell per column \(a missing value is written as an empty cell: '2020,'\)",
        "; se espera una celda por columna (un dato que falta se escribe como celda vacía: '2020,')",
    ),
    (
        r"holds a formula \((.+?)\) with no saved result; expected a value: open and save the file in Excel or "
        r"LibreOffice, or paste values only",
        r"contiene una fórmula (\1) sin resultado guardado; se espera un valor: abra y guarde el archivo en Excel o "
        r"LibreOffice, o pegue solo los valores",
    ),
    # dates
    (r"the date is empty; ", "la fecha está vacía; "),
    (
        V + r" has day and month in an order that cannot be told apart \(01/02 is 1 February or 2 January\), so it "
        r"is not guessed; ",
        r"\g<v> tiene día y mes en un orden que no se puede distinguir (01/02 es 1 de febrero o 2 de enero), así que "
        r"no se adivina; ",
    ),
    (
        V + r" is not a real date \(month 1-12, day within the month\); ",
        r"\g<v> no es una fecha real (mes 1-12, día dentro del mes); ",
    ),
    (V + r" has a time of day; (.+), without a time", r"\g<v> tiene una hora; \2, sin la hora"),
    (V + r" is TRUE/FALSE, not a date; ", r"\g<v> es VERDADERO/FALSO, no una fecha; "),
    (
        V + r" is a quarter; quarterly data is not supported: ",
        r"\g<v> es un trimestre; no se admiten datos trimestrales: ",
    ),
    (V + r" is a decimal number, not a date; ", r"\g<v> es un número decimal, no una fecha; "),
    (V + r" is not a date in an accepted format; ", r"\g<v> no es una fecha en un formato admitido; "),
    (
        r"dates mix formats: (.+?) on (line|row) (\d+) is (\S+), (.+?) is (\S+); "
        r"expected one format for the whole file",
        r"las fechas mezclan formatos: \1 en la fila \3 es \4, \5 es \6; se espera un solo formato en todo el archivo",
    ),
    (
        r"date (.+?) for (\S+) is also on (line|row) (\d+); expected one row per date and country",
        r"la fecha \1 de \2 también está en la fila \4; se espera una fila por fecha y país",
    ),
    (
        r"date (.+?) for (\S+) is also on (line|row) (\d+); expected one row per date",
        r"la fecha \1 de \2 también está en la fila \4; se espera una fila por fecha",
    ),
    # numbers
    (
        V + r" is not a number; leave the cell empty for a missing observation",
        r"\g<v> no es un número; deje la celda vacía para un dato que falta",
    ),
    (V + r" is not a number; ", r"\g<v> no es un número; "),
    (V + r" is TRUE/FALSE, not a number; ", r"\g<v> es VERDADERO/FALSO, no un número; "),
    (V + r" is not a finite number; ", r"\g<v> no es un número finito; "),
    (V + r" is a date or time, not a number; ", r"\g<v> es una fecha u hora, no un número; "),
    (V + r" is too large to store; ", r"\g<v> es demasiado grande; "),
    (V + r" uses ',' as a thousands separator; ", r"\g<v> usa ',' como separador de miles; "),
    (
        V + r" uses '\.' for thousands and ',' for decimals; ",
        r"\g<v> usa '.' para los miles y ',' para los decimales; ",
    ),
    (V + r" uses '\.' as a thousands separator; ", r"\g<v> usa '.' como separador de miles; "),
    (V + r" uses spaces as thousands separators; ", r"\g<v> usa espacios como separador de miles; "),
    (
        V + r" has a comma, which could be a decimal comma or a thousands separator, so it is not guessed; ",
        r"\g<v> tiene una coma, que puede ser decimal o separador de miles, así que no se adivina; ",
    ),
    (V + r" has a '%' sign; ", r"\g<v> tiene el signo '%'; "),
    (V + r" has a currency sign or code; ", r"\g<v> tiene un símbolo o código de moneda; "),
    (
        r": write the number alone; the unit is said once for the whole series, not in each cell",
        ": escriba solo el número; la unidad se indica una vez para toda la serie, no en cada celda",
    ),
    (
        V + r" looks like a spreadsheet formula, not a number; ",
        r"\g<v> parece una fórmula de hoja de cálculo, no un número; ",
    ),
    # countries and statuses
    (V + r" is not a known country code; ", r"\g<v> no es un código de país conocido; "),
    (
        V + r" is a 2-letter code; expected the 3-letter ISO3 code (\S+)",
        r"\g<v> es un código de 2 letras; se espera el código ISO3 de 3 letras \2",
    ),
    (V + r" is a name; expected its ISO3 code (\S+)", r"\g<v> es un nombre; se espera su código ISO3 \2"),
    (V + r" must be upper case: (\S+)", r"\g<v> debe ir en mayúsculas: \2"),
    (V + r" is not a status; expected one of (.+), or empty", r"\g<v> no es un estado; se espera uno de \2, o vacío"),
]
RULES = {"es": [(re.compile(pattern), replacement) for pattern, replacement in RULES_ES]}


def in_language(problem: str, lang: str) -> str:
    """One refusal of ``loaders.localfile`` (a line of ``problem_lines``) in ``lang``; English as it is."""
    for pattern, replacement in RULES.get(lang, []):
        problem = pattern.sub(replacement, problem, count=1)
    return problem
