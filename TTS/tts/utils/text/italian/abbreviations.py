"""Italian abbreviations expanded by ``italian_cleaners`` (``dott.`` -> ``dottore``).

Each entry is a case-insensitive pattern body; every pattern must be followed by
whitespace, the end of the text or closing punctuation.
"""

from __future__ import annotations

import re

__all__ = ["abbreviations_it", "abbreviations_it_aggressive", "abbreviations_it_all"]

_END = r"(?=\s|$|[,\.;:\)\]\}\!?])"

_TABLE = [
    # letters and correspondence
    (r"\bspett\.?\s*(?:le\.?)?\b", "spettabile"),
    (r"\begr\.?\b", "egregio"),
    (r"\bgent\.?\s*mo\.?\b", "gentilissimo"),
    (r"\bgent\.?\s*ma\.?\b", "gentilissima"),
    (r"\bill\.?\s*mo\.?\b", "illustrissimo"),
    (r"\bill\.?\s*ma\.?\b", "illustrissima"),
    (r"\batt\.?\b", "attenzione"),
    (r"\bc\.?\s*a\.?\b", "cortese attenzione"),
    # titles and professions
    (r"\bsig\.?", "signor"),
    (r"\bsig\.?\s*ra\.?", "signora"),
    (r"\bsig\.?\s*na\.?", "signorina"),
    (r"\bsigg\.?", "signori"),
    (r"\bdott\.?\b", "dottore"),
    (r"\bdott\.?\s*ssa\.?\b", "dottoressa"),
    (r"\bprof\.?\b", "professore"),
    (r"\bprof\.?\s*ssa\.?\b", "professoressa"),
    (r"\bing\.?\b", "ingegnere"),
    (r"\barch\.?\b", "architetto"),
    (r"\bavv\.?\b", "avvocato"),
    (r"\bgeom\.?\b", "geometra"),
    (r"\brag\.?\b", "ragioniere"),
    (r"\bcomm\.?\b", "commercialista"),
    (r"\bdott\.?\s*comm\.?\b", "dottore commercialista"),
    # general shorthand
    (r"\becc\.?\b", "eccetera"),
    (r"\betc\.?\b", "eccetera"),
    (r"\bes\.?\b", "per esempio"),
    (r"\bp\.?\s*es\.?\b", "per esempio"),
    (r"\bad\.?\s*es\.?\b", "ad esempio"),
    (r"\bcioe\.?\b", "cioè"),
    (r"\boss\.?\b", "ossia"),
    (r"\bcfr\.?\b", "confronta"),
    (r"\bvd\.?\b", "vedi"),
    (r"\bvv\.?\b", "vedi"),
    # document structure
    (r"\bfig\.?\b", "figura"),
    (r"\btab\.?\b", "tabella"),
    (r"\beq\.?\b", "equazione"),
    (r"\bsez\.?\b", "sezione"),
    (r"\bsec\.?\b", "sezione"),
    (r"\bcap\.?\b", "capitolo"),
    (r"\bpar\.?\b", "paragrafo"),
    (r"\bapp\.?\b", "appendice"),
    (r"\bpagg\.?\b", "pagine"),
    (r"\bpag\.?\b", "pagina"),
    # identifiers and contact
    (r"\btel\.?\b", "telefono"),
    (r"\bcell\.?\b", "cellulare"),
    (r"\bint\.?\b", "interno"),
    (r"\bn\.?\b", "numero"),
    (r"\bnn\.?\b", "numeri"),
    (r"\bnr\.?\b", "numero"),
    (r"\bcod\.?\s*fisc\.?\b", "codice fiscale"),
    (r"\bc\.?\s*f\.?\b", "codice fiscale"),
    (r"\bp\.?\s*iva\.?\b", "partita iva"),
    (r"\bpiva\b", "partita iva"),
    # dates in letters
    (r"\bu\.?\s*s\.?\b", "ultimo scorso"),
    (r"\bp\.?\s*v\.?\b", "prossimo venturo"),
    # company forms
    (r"\bs\.?\s*p\.?\s*a\.?\b", "società per azioni"),
    (r"\bs\.?\s*r\.?\s*l\.?\b", "società a responsabilità limitata"),
    (r"\bs\.?\s*n\.?\s*c\.?\b", "società in nome collettivo"),
    (r"\bs\.?\s*a\.?\s*s\.?\b", "società in accomandita semplice"),
    (r"\bcoop\.?\b", "cooperativa"),
    (r"\bonlus\b", "organizzazione non lucrativa di utilità sociale"),
    # months
    (r"\bgen\.?\b", "gennaio"),
    (r"\bfeb\.?\b", "febbraio"),
    (r"\bmar\.?\b", "marzo"),
    (r"\bapr\.?\b", "aprile"),
    (r"\bmag\.?\b", "maggio"),
    (r"\bgiu\.?\b", "giugno"),
    (r"\blug\.?\b", "luglio"),
    (r"\bago\.?\b", "agosto"),
    (r"\bset\.?\b", "settembre"),
    (r"\bott\.?\b", "ottobre"),
    (r"\bnov\.?\b", "novembre"),
    (r"\bdic\.?\b", "dicembre"),
    # web
    (r"\be-?mail\b", "email"),
    (r"\bwww\.?\b", "doppia vu doppia vu doppia vu"),
]

# Addresses and saints: more likely to misfire, not used by the cleaners.
_AGGRESSIVE = [
    (r"\bv\.?\s*le\.?\b" + _END, "viale"),
    (r"\bp\.?\s*za\.?\b" + _END, "piazza"),
    (r"\bp\.?\s*zza\.?\b" + _END, "piazza"),
    (r"\bp\.?\s*le\.?\b" + _END, "piazzale"),
    (r"\bc\.?\s*so\.?\b" + _END, "corso"),
    (r"\bs\.(?=\s+[A-ZÀ-ÖØ-Ý])", "san"),
    (r"\bs\.\s*maria\b", "santa maria"),
]

abbreviations_it: list[tuple[re.Pattern[str], str]] = [
    (re.compile(body + _END, re.IGNORECASE), long) for body, long in _TABLE
]
abbreviations_it_aggressive: list[tuple[re.Pattern[str], str]] = [
    (re.compile(body, re.IGNORECASE), long) for body, long in _AGGRESSIVE
]
abbreviations_it_all = abbreviations_it + abbreviations_it_aggressive
