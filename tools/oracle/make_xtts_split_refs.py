"""Reference long-text chunks of upstream coqui-tts 0.28's XTTS ``split_sentence`` for our parity test.

Run in the oracle venv (with ``pip install 'spacy[ja]'`` there) from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_xtts_split_refs.py

``Xtts.inference(..., enable_text_splitting=True)`` and ``inference_stream`` cut
long text with ``TTS.tts.layers.xtts.tokenizer.split_sentence(text, language,
char_limit)`` (spaCy sentencizer plus greedy packing). Records its chunks for
hand-written paragraphs in the 17 XTTS languages and for seeded random texts
full of abbreviations, numbers, quotes, line breaks and other scripts' stops,
at the default limit of 250 and at each language's XTTS character limit.
Writes ``tests/data/parity/xtts_tokens/split_refs.json``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "xtts_tokens" / "split_refs.json"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

from TTS.tts.layers.xtts.tokenizer import split_sentence  # noqa: E402  (upstream's)

# XTTS character limits (the language code XTTS passes: region dropped, "zh-cn" -> "zh").
LIMITS = {"en": 250, "de": 253, "fr": 273, "es": 239, "it": 213, "pt": 203, "pl": 224, "zh": 82, "ar": 166,
          "cs": 186, "ru": 182, "nl": 251, "tr": 226, "ja": 71, "hu": 224, "ko": 95, "hi": 150}  # fmt: skip

PARAGRAPHS = {
    "en": "Dr. Smith met Mrs. Jones at 5 p.m. on Jan. 3 near St. Paul's. They talked about the U.S. economy, "
    'e.g. inflation, interest rates, etc. The meeting (No. 7) ended early! Was it worth it? "Maybe," she said. '
    "J. R. R. Tolkien wrote The Hobbit... Then he wrote more.\nVisit https://example.com/docs.html or mail "
    "info@example.org. Pi is roughly 3.14159, and 1,000,000 people agree. So did I. The end.",
    "de": "Am 3. Mai 2024 trafen wir uns in Berlin, d.h. in der Hauptstadt. Dr. Müller kam z.B. mit dem Zug um "
    "14.30 Uhr an. Das kostete ca. 1.000.000 Euro, bzw. etwas weniger usw. Wir sprachen über alles! Wer hätte "
    "das gedacht? „Niemand“, sagte er. Die Sitzung dauerte bis zum 5.6.2024, und danach gingen alle nach Hause.",
    "fr": "M. Dupont et Mme. Martin sont arrivés à 8 h. Ils ont parlé de la situation, etc. « Quelle journée ! » "
    "s'exclama-t-elle. Le prix était de 3,5 millions d'euros. Vraiment ? Oui... Ensuite, ils sont partis vers "
    "la gare St. Lazare. Le train No. 5 était en retard de 20 min. C'était long. Très long.",
    "es": "El Sr. García y la Sra. López llegaron a las 9 a.m. al edificio de la Avda. de la Constitución. "
    "¿Qué pasó después? ¡Nadie lo sabe! Hablaron de política, economía, etc. durante horas. El Dr. Pérez, "
    "p.ej., dijo que el 3.5% era demasiado. Véase la pág. 12 del informe. Al final todos se fueron a casa.",
    "it": "Il sig. Rossi e il dott. Bianchi si sono incontrati a Roma il 3 maggio. Hanno parlato di politica, "
    "economia ecc. per ore! Davvero? Sì... Poi sono andati al ristorante in via Garibaldi n. 12. Il conto era "
    "di 150,50 euro. «Troppo caro», disse Rossi. Alla fine tutti tornarono a casa stanchi ma felici.",
    "pt": "O Sr. Silva e a Sra. Costa chegaram às 10h. Falaram sobre a economia, a política etc. durante a "
    "reunião. Quem diria? Ninguém! O Dr. Santos disse que 3,5% era muito. Veja a pág. 7 do relatório. "
    "Depois, foram todos para casa. A reunião seguinte será no dia 5.6.2024, às 14h30.",
    "pl": "Dr Kowalski i prof. Nowak spotkali się 3 maja w Warszawie. Rozmawiali o polityce, gospodarce itd. "
    "przez wiele godzin! Naprawdę? Tak... Potem poszli do restauracji przy ul. Długiej 5. Rachunek wyniósł "
    "150,50 zł. „Za drogo” – powiedział Kowalski. Na koniec wszyscy wrócili do domu, tj. do swoich mieszkań.",
    "tr": "Dr. Yılmaz ve Prof. Demir 3 Mayıs'ta İstanbul'da buluştular. Siyaset, ekonomi vb. konular hakkında "
    "saatlerce konuştular! Gerçekten mi? Evet... Sonra Atatürk Cad. No. 12'deki restorana gittiler. Hesap "
    '150,50 TL tuttu. "Çok pahalı" dedi Yılmaz. Sonunda herkes evine döndü ve uzun bir gün sona erdi.',
    "ru": "Д-р Иванов и проф. Петров встретились 3 мая в Москве. Они говорили о политике, экономике и т.д. "
    "несколько часов! Правда? Да... Потом они пошли в ресторан на ул. Тверской, д. 12. Счёт составил 150,50 "
    "руб. «Слишком дорого», — сказал Иванов. В конце концов все разошлись по домам, т.е. по своим квартирам.",
    "nl": "Dhr. Jansen en mevr. De Vries ontmoetten elkaar op 3 mei in Amsterdam. Ze spraken over politiek, "
    "economie enz. urenlang! Echt waar? Ja... Daarna gingen ze naar het restaurant aan de Kalverstraat nr. 12. "
    'De rekening was € 150,50. "Te duur", zei Jansen. Uiteindelijk ging iedereen naar huis, bijv. met de trein.',
    "cs": "Dr. Novák a prof. Svoboda se setkali 3. května v Praze. Mluvili o politice, ekonomice atd. několik "
    "hodin! Opravdu? Ano... Pak šli do restaurace v ul. Národní č. 12. Účet činil 150,50 Kč. „Příliš drahé,“ "
    "řekl Novák. Nakonec se všichni vrátili domů, tj. do svých bytů, a dlouhý den skončil.",
    "ar": "التقى الدكتور أحمد والأستاذ محمد في القاهرة يوم 3 مايو. تحدثا عن السياسة والاقتصاد لساعات طويلة! "
    "حقاً؟ نعم... ثم ذهبا إلى مطعم في شارع التحرير رقم 12. كانت الفاتورة 150.50 جنيهاً. قال أحمد: «غالٍ جداً». "
    "وفي النهاية عاد الجميع إلى منازلهم، وانتهى يوم طويل. هل كان يوماً جيداً؟ ربما.",
    "zh": "张先生和李女士于五月三日在北京见面。他们谈论了政治、经济等话题，持续了好几个小时！真的吗？是的……"
    "然后他们去了王府井大街12号的一家餐厅。账单是150.50元。“太贵了，”张先生说。最后，大家都回家了，漫长的一天结束了。"
    "明天还会再见面吗？也许吧。",
    "hu": "Dr. Kovács és Nagy prof. május 3-án találkoztak Budapesten. Órákig beszélgettek politikáról, "
    "gazdaságról stb.! Tényleg? Igen... Aztán elmentek egy étterembe a Váci u. 12. szám alatt. A számla 150,50 "
    "euró volt. „Túl drága” – mondta Kovács. Végül mindenki hazament, pl. vonattal, és véget ért a hosszú nap.",
    "ko": "김 박사와 이 교수는 5월 3일 서울에서 만났다. 그들은 정치, 경제 등에 대해 몇 시간 동안 이야기했다! "
    '정말? 그래... 그 후 그들은 종로 12번지에 있는 식당에 갔다. 계산서는 150.50달러였다. "너무 비싸"라고 '
    "김 박사가 말했다. 결국 모두 집으로 돌아갔고, 긴 하루가 끝났다.",
    "ja": "田中さんと山田さんは五月三日に東京で会いました。彼らは政治や経済などについて何時間も話しました！"
    "本当ですか？はい……その後、銀座の12番地にあるレストランに行きました。請求書は150.50ドルでした。"
    "「高すぎる」と田中さんは言いました。結局、みんな家に帰り、長い一日が終わりました。",
    "hi": "डॉ. शर्मा और प्रो. वर्मा 3 मई को दिल्ली में मिले। उन्होंने राजनीति, अर्थव्यवस्था आदि के बारे में घंटों बात की! "
    'सच में? हाँ... फिर वे कनॉट प्लेस के एक रेस्तरां में गए। बिल 150.50 रुपये का था। "बहुत महंगा," शर्मा ने कहा। '
    "अंत में सब घर लौट गए॥ लंबा दिन खत्म हुआ।",
}

WORDS = {
    "latin": "the house was quiet and we walked along the river talking about old friends who never came".split(),
    "ru": "дом был тихим и мы шли вдоль реки говоря о старых друзьях которые не вернулись".split(),
    "ar": "كان البيت هادئا ومشينا على طول النهر نتحدث عن أصدقاء قدامى لم يعودوا".split(),
    "ko": "집은 조용했고 우리는 강을 따라 걸으며 돌아오지 않은 옛 친구들에 대해 이야기했다".split(),
    "hi": "घर शांत था और हम नदी के किनारे चलते हुए पुराने दोस्तों के बारे में बात करते रहे".split(),
}
CJK = {
    "zh": "房子很安静我们沿着河边散步谈论着那些再也没有回来的老朋友",
    "ja": "家は静かで私たちは川沿いを歩きながら帰ってこなかった古い友人",
}
ABBR = (
    "Mr. Dr. Mrs. St. e.g. i.e. etc. p.m. U.S. No. vs. Prof. Inc. z.B. bzw. Sr. Sra. M. т.е. itd. Nr. a.m. d.h.".split()
)
INSERT = ["3.14", "1.000.000", "3.5.2024", "am 3. Mai", "J. R. R. Tolkien", "100%.", "https://example.com/a.b",
          "john.doe@example.com", "(see p. 4)", "USA.", "I.", "—", "…", "...", "«oui»", '"quoted"', "20°C.", "$5.",
          "end.Next", "x.Y", "2024."]  # fmt: skip
ENDS = [".", ".", "!", "?", "?!", "...", "…", '."', ".”", ".)", "!»", " .", "!!", ".\n", ".\n\n", ".  ", "。", "।", "؟"]


def random_sentence(rng: random.Random, lang: str) -> str:
    if lang in CJK:
        source = CJK[lang] * 3
        start = rng.randrange(len(CJK[lang]))
        body = source[start : start + rng.randint(5, 40)]
        if rng.random() < 0.2:
            body += rng.choice([" Mr. Smith ", "3.14", "，", " OK. ", "「はい」"])
        return body + rng.choice(["。", "。", "！", "？", "。」", "…", "！？", ".", "。\n", "。 "])
    words = WORDS.get(lang, WORDS["latin"])
    out = []
    for index in range(rng.randint(3, 30) if rng.random() > 0.05 else rng.randint(40, 80)):
        roll = rng.random()
        if roll < 0.08:
            out.append(rng.choice(ABBR))
        elif roll < 0.14:
            out.append(rng.choice(INSERT))
        else:
            word = rng.choice(words)
            out.append(word.capitalize() if index == 0 else word)
    end = rng.choice(ENDS)
    if lang == "hi" and rng.random() < 0.6:
        end = rng.choice(["।", "। ", "॥", "?"])
    if lang == "ar" and rng.random() < 0.5:
        end = rng.choice(["؟", ".", "!", "،"])
    before = rng.choice(['"', "(", "«", "¿", "— "]) if rng.random() < 0.1 else ""
    return before + " ".join(out) + end


def random_text(rng: random.Random, lang: str) -> str:
    target = rng.randint(250, 1200)
    text = ""
    while len(text) < target:
        text += (rng.choice([" ", " ", " ", "", "\n", "  "]) if text else "") + random_sentence(rng, lang)
    if rng.random() < 0.1:
        text = rng.choice([" ", "\n"]) + text
    return text


def main() -> None:
    rng = random.Random(20240503)
    cases = []
    for lang, paragraph in PARAGRAPHS.items():
        for limit in sorted({250, LIMITS[lang], 120}):
            cases.append({"lang": lang, "limit": limit, "text": paragraph})
    cases.append({"lang": "zh-cn", "limit": 82, "text": PARAGRAPHS["zh"]})  # upstream: English rules for "zh-cn"
    cases.append({"lang": "en", "limit": 250, "text": "word " * 120})  # no stop at all: wrapped
    cases.append({"lang": "en", "limit": 250, "text": "Short text. "})  # under the limit: one chunk
    for lang in [*LIMITS, "zh-cn"]:
        for _ in range(3):
            limit = rng.choice([250, LIMITS.get(lang, 250)])
            cases.append({"lang": lang, "limit": limit, "text": random_text(rng, lang)})
    for case in cases:
        case["chunks"] = split_sentence(case["text"], case["lang"], case["limit"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"cases": cases}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
