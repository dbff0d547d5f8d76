"""Build the labelled skill-pair sets in tests/data/skill_pairs/ from public data and by hand.

Usage: python scripts/build_skill_pairs.py [SOURCE_DIR]   (default ../shared/data/skills)

Files (CSV, columns a,b,label,kind,source,split; label is same | different | related):
- esco_alt.csv: ESCO preferred label and one of its alternative labels: the same skill. Labels
  that the knowledge-base review rejects (SEM for SEO, see build_skill_kb.ESCO_ALT_DROPS) are
  left out; half the pairs are written as exports write them (upper case, a hyphen for a space,
  a plural) so the set tests more than a table lookup.
- similar_names.csv: two distinct ESCO or curated skills whose names are alike (rapidfuzz ratio
  85 or more) and differ by ordinary English words (qualitative/quantitative): different skills.
  ESCO concepts are distinct by construction, so these are honest negatives.
- real_words.csv: a known one-word skill and an ordinary English word one or two edits away
  that names no skill (Animation/Aviation): different, the guard against typo merging.
- hand_blind.csv: more of the same kinds, written after tuning and measured once, all "test".
- hand.csv: real-export variants (Tableau Software, Search Engine Optimization (SEO), typos),
  look-alike negatives from real exports (Animation/Aviation, Java/JavaScript) and related pairs
  (Tableau/Power BI substitute, Python 2/Python 3 version), written by hand.

`split` is "dev" or "test" from a hash of the pair, 70/30: tune on dev, report on test.
Deterministic: the same sources give the same files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from pathlib import Path

from rapidfuzz import fuzz, process

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import build_skill_kb as kbb  # noqa: E402

from gigmatch.skills.text import clean, fold, key, words  # noqa: E402

OUT = REPO / "tests" / "data" / "skill_pairs"
FIELDS = ["a", "b", "label", "kind", "source", "split"]

# (required spelling, offered spelling, label, kind)
HAND: list[tuple[str, str, str, str]] = [
    # Real-export variants of one skill.
    ("Tableau", "Tableau Software", "same", "vendor-filler"),
    ("SEO", "Search Engine Optimization (SEO)", "same", "acronym"),
    ("Search Engine Optimization", "SEO", "same", "acronym"),
    ("SQL", "SQL Programming", "same", "vendor-filler"),
    ("Python", "Python Programming", "same", "vendor-filler"),
    ("Node.js", "nodejs", "same", "punctuation"),
    ("Node.js", "NodeJS", "same", "punctuation"),
    ("Node.js", "Node JS", "same", "punctuation"),
    ("Logo Design", "Logos", "same", "plural"),
    ("Microsoft Office", "Microsoft Office 365", "same", "vendor-filler"),
    ("QlikView", "QlikTech QlikView", "same", "vendor-filler"),
    ("QlikView", "Qlik Tech QlikView", "same", "vendor-filler"),
    ("Python", "Pyhton", "same", "typo"),
    ("Kubernetes", "Kubernets", "same", "typo"),
    ("JavaScript", "Javascrpt", "same", "typo"),
    ("WordPress", "Wordpres", "same", "typo"),
    ("Adobe Photoshop", "Photshop", "same", "typo"),
    ("Google Analytics", "Gogle Analytics", "same", "typo"),
    ("Salesforce", "Salesforse", "same", "typo"),
    ("Power BI", "Microsoft Power BI", "same", "vendor-filler"),
    ("Power BI", "PowerBI", "same", "punctuation"),
    ("Power BI", "Power BI Development", "same", "vendor-filler"),
    ("React", "ReactJS", "same", "punctuation"),
    ("React", "React.js", "same", "punctuation"),
    ("React", "React Developer", "same", "vendor-filler"),
    ("Vue.js", "VueJS", "same", "punctuation"),
    ("Python", "Python 3", "same", "version"),
    ("Angular", "Angular 12", "same", "version"),
    ("Magento", "Magento 2", "same", "version"),
    ("Python 3", "python3", "same", "version"),
    ("Python 3", "Python 3.11", "same", "version"),
    ("Data Visualization", "Data Visualisation", "same", "spelling"),
    ("Search Engine Optimization", "Search Engine Optimisation", "same", "spelling"),
    ("Social Media Marketing", "Social-Media Marketing", "same", "punctuation"),
    ("Translation", "Translations", "same", "plural"),
    ("Infographics", "Infographic", "same", "plural"),
    ("Business Planning", "Business Plans", "same", "plural"),
    ("Microsoft Excel", "MS Excel", "same", "vendor-filler"),
    ("Microsoft Excel", "Excel", "same", "vendor-filler"),
    ("Adobe Photoshop", "Photoshop", "same", "vendor-filler"),
    ("Adobe Illustrator", "Adobe Illustrator CC", "same", "vendor-filler"),
    ("SQL", "Structured Query Language (SQL)", "same", "acronym"),
    ("HTML", "Hypertext markup language HTML", "same", "acronym"),
    ("Customer Relationship Management", "CRM", "same", "acronym"),
    ("Amazon Web Services", "AWS", "same", "acronym"),
    ("Amazon Web Services", "Amazon Web Services (AWS)", "same", "acronym"),
    ("Pay-Per-Click", "PPC Advertising", "same", "acronym"),
    ("Google Ads", "Google AdWords", "same", "alias"),
    ("Machine Learning", "machine-learning", "same", "punctuation"),
    ("WordPress", "WordPress Development", "same", "vendor-filler"),
    ("Shopify", "Shopify Development", "same", "vendor-filler"),
    ("PostgreSQL", "Postgres", "same", "alias"),
    ("Kubernetes", "K8s", "same", "alias"),
    ("UI/UX Design", "UX/UI Design", "same", "word-order"),
    ("Japanese English Translation", "Translation Japanese English", "same", "word-order"),
    ("Pandas", "Python Pandas", "same", "narrower-name"),
    ("Django", "Python Django", "same", "narrower-name"),
    ("Spring Framework", "Java Spring", "same", "narrower-name"),
    ("Apache Spark", "Spark", "same", "vendor-filler"),
    ("Apache Kafka", "Kafka", "same", "vendor-filler"),
    ("Jira", "Atlassian JIRA", "same", "vendor-filler"),
    ("MATLAB", "The MathWorks MATLAB", "same", "vendor-filler"),
    ("SPSS", "IBM SPSS Statistics", "same", "vendor-filler"),
    ("Dashboard Design", "Dashboards", "same", "plural"),
    # Look-alikes that are different skills (from the real exports).
    ("Quantitative Research", "Qualitative Research", "different", "look-alike"),
    ("Animation", "Aviation", "different", "look-alike"),
    ("Transcription", "Transcreation", "different", "look-alike"),
    ("Marketing", "Telemarketing", "different", "look-alike"),
    ("Visualization", "Virtualization", "different", "look-alike"),
    ("Data Visualization", "Virtualization", "different", "look-alike"),
    ("Cryptography", "Typography", "different", "look-alike"),
    ("Java", "JavaScript", "different", "look-alike"),
    ("JavaScript", "Java", "different", "look-alike"),
    ("Fiction", "Non-Fiction Writing", "different", "look-alike"),
    ("Female Voice Over", "Male Voice Over", "different", "look-alike"),
    ("Power BI Development", "SharePoint Development", "different", "look-alike"),
    ("Network Administration", "Database Administration", "different", "look-alike"),
    ("Linux System Administration", "Windows Server Administration", "different", "look-alike"),
    ("Salesforce Administration", "SharePoint Administration", "different", "look-alike"),
    ("React", "React Native", "different", "look-alike"),
    ("Angular", "AngularJS", "different", "look-alike"),
    ("C", "C++", "different", "look-alike"),
    ("C#", "C++", "different", "look-alike"),
    ("R", "Ruby", "different", "look-alike"),
    ("Go", "Django", "different", "look-alike"),
    ("UX Design", "UI Design", "different", "look-alike"),
    ("SQL", "MySQL", "different", "look-alike"),
    ("Spring Boot", "Spring Framework", "different", "look-alike"),
    ("Copywriting", "Copy Editing", "different", "look-alike"),
    ("Illustration", "Adobe Illustrator", "different", "look-alike"),
    ("Translation", "Transcription", "different", "look-alike"),
    ("Niche Skill 1", "Niche Skill 2", "different", "look-alike"),
    ("Niche Skill 17", "Niche Skill 71", "different", "look-alike"),
    ("Email Marketing", "Email Management", "different", "look-alike"),
    ("Content Writing", "Content Marketing", "different", "look-alike"),
    ("Photo Editing", "Video Editing", "different", "look-alike"),
    ("Game Design", "Graphic Design", "different", "look-alike"),
    ("Web Design", "Web Development", "different", "look-alike"),
    ("Data Entry", "Data Analysis", "different", "look-alike"),
    ("Statistics", "Statics", "different", "look-alike"),
    ("Accounting", "Counting", "different", "look-alike"),
    # Related, never the same skill.
    ("Python 3", "Python 2", "related", "version"),
    ("Magento 2", "Magento 1", "related", "version"),
    ("Power BI", "Tableau", "related", "substitute"),
    ("Tableau", "Qlik Sense", "related", "substitute"),
    ("MySQL", "PostgreSQL", "related", "substitute"),
    ("Figma", "Adobe XD", "related", "substitute"),
    ("Amazon Web Services", "Microsoft Azure", "related", "substitute"),
    ("QuickBooks", "Xero", "related", "substitute"),
    ("Python", "Django", "related", "narrower"),
    ("JavaScript", "React", "related", "narrower"),
    ("WordPress", "PSD to WordPress", "related", "narrower"),
    ("Data Visualization", "Tableau", "related", "narrower"),
    ("Dashboard Design", "Power BI", "related", "narrower"),
    ("Translation", "Translation Japanese English", "related", "narrower"),
    ("Django", "Python", "related", "broader"),
    ("React", "JavaScript", "related", "broader"),
]

# Written after the resolver was tuned and run once, unchanged afterwards: all "test" split, a
# blind check of the figures on the hand set above (which was written alongside the code).
HAND_BLIND: list[tuple[str, str, str, str]] = [
    ("Adobe Premiere Pro", "Premiere Pro CC", "same", "vendor-filler"),
    ("Adobe After Effects", "After Effects CC", "same", "vendor-filler"),
    ("Microsoft Excel", "Excel 2016", "same", "version"),
    ("Microsoft Word", "MS Word", "same", "vendor-filler"),
    ("Google Analytics", "Google Analytics 4", "same", "version"),
    ("Amazon Web Services", "Amazon AWS", "same", "alias"),
    ("Node.js", "Node", "same", "alias"),
    ("Vue.js", "Vue 3", "same", "version"),
    ("Angular", "Angular 2+", "same", "version"),
    ("React", "React JS Development", "same", "vendor-filler"),
    ("Laravel", "Laravel Framework", "same", "vendor-filler"),
    ("Django", "Django Framework", "same", "vendor-filler"),
    ("WordPress", "Wordpress Website", "same", "vendor-filler"),
    ("Shopify", "Shopify Store", "same", "vendor-filler"),
    ("Search Engine Optimization", "SEO Optimization", "same", "acronym"),
    ("Social Media Marketing", "SMM", "same", "acronym"),
    ("Pay-Per-Click", "Pay Per Click Advertising", "same", "punctuation"),
    ("Graphic Design", "Graphics Designing", "same", "inflection"),
    ("Logo Design", "Logo Designing", "same", "inflection"),
    ("Data Entry", "Data Entry Specialist", "same", "vendor-filler"),
    ("Virtual Assistant", "Virtual Assistance", "same", "inflection"),
    ("Translation", "Translator", "same", "inflection"),
    ("Copywriting", "Copy Writing", "same", "punctuation"),
    ("Proofreading", "Proof-reading", "same", "punctuation"),
    ("Natural Language Processing", "NLP", "same", "acronym"),
    ("Artificial Intelligence", "AI", "same", "acronym"),
    ("Python", "Python Scripting", "same", "vendor-filler"),
    ("JavaScript", "Javascript ES6", "same", "version"),
    ("TypeScript", "Typescript", "same", "case"),
    ("C#", "C Sharp", "same", "punctuation"),
    ("C++", "CPP", "same", "alias"),
    ("Objective-C", "Objective C", "same", "punctuation"),
    ("PostgreSQL", "Postgre SQL", "same", "punctuation"),
    ("MySQL", "My SQL", "same", "punctuation"),
    ("MongoDB", "Mongo DB", "same", "punctuation"),
    ("Microsoft SQL Server", "MS SQL Server", "same", "vendor-filler"),
    ("Microsoft Azure", "Azure Cloud Services", "same", "vendor-filler"),
    ("Docker", "Docker Containers", "same", "vendor-filler"),
    ("Kubernetes", "Kubernetes (K8s)", "same", "acronym"),
    ("Git", "Git Version Control", "same", "vendor-filler"),
    ("REST API", "RESTful APIs", "same", "plural"),
    ("Adobe Photoshop", "Photoshop CC", "same", "vendor-filler"),
    ("Adobe Illustrator", "Illustrator CS6", "same", "version"),
    ("Figma", "Figma Design", "same", "vendor-filler"),
    ("UX Design", "User Experience (UX)", "same", "acronym"),
    ("UI/UX Design", "UI UX", "same", "punctuation"),
    ("Accounting", "Accountancy", "same", "inflection"),
    ("QuickBooks", "Quickbooks Desktop", "same", "vendor-filler"),
    ("Bookkeeping", "Book-keeping", "same", "punctuation"),
    ("Project Management", "Project Manager", "same", "inflection"),
    ("Microsoft Office", "MS Office Suite", "same", "vendor-filler"),
    ("Google Workspace", "G-Suite", "same", "alias"),
    ("Email Marketing", "E-mail Marketing", "same", "punctuation"),
    ("E-commerce", "eCommerce", "same", "punctuation"),
    ("Lead Generation", "Lead Gen", "same", "alias"),
    ("Video Editing", "Video Editor", "same", "inflection"),
    ("3D Modeling", "3D Modelling", "same", "spelling"),
    ("Unity", "Unity3D", "same", "punctuation"),
    ("Unreal Engine", "UE5", "same", "alias"),
    ("Statistics", "Statistical Analysis", "same", "alias"),
    ("Laravel", "Laravel 8", "same", "version"),
    ("JavaScript", "Javasript", "same", "typo"),
    ("Adobe Photoshop", "Photoshp", "same", "typo"),
    ("Adobe Illustrator", "Ilustrator", "same", "typo"),
    ("Salesforce", "Saleforce", "same", "typo"),
    ("Python", "Phyton", "same", "typo"),
    ("WooCommerce", "Woocomerce", "same", "typo"),
    ("Shopify", "Shopfiy", "same", "typo"),
    ("Microsoft Excel", "Exel", "same", "typo"),
    ("Tableau", "Tablaeu", "same", "typo"),
    ("Magento", "Magneto", "same", "typo"),
    ("Java", "Javanese", "different", "look-alike"),
    ("Scala", "Scalability", "different", "look-alike"),
    ("Rust", "Trust", "different", "look-alike"),
    ("Go", "Google", "different", "look-alike"),
    ("SQL", "NoSQL", "different", "look-alike"),
    ("Python", "Jython", "different", "look-alike"),
    ("Photography", "Photogrammetry", "different", "look-alike"),
    ("Animation", "Animal Care", "different", "look-alike"),
    ("Writing", "Rewriting", "different", "look-alike"),
    ("Editing", "Auditing", "different", "look-alike"),
    ("Data Science", "Data Entry", "different", "look-alike"),
    ("Cloud Computing", "Cloud Storage", "different", "look-alike"),
    ("Network Engineering", "Network Marketing", "different", "look-alike"),
    ("Social Work", "Social Media", "different", "look-alike"),
    ("Voice Over", "Voice Recognition", "different", "look-alike"),
    ("Game Design", "Game Development", "different", "look-alike"),
    ("Adobe Illustrator", "Illustration", "different", "look-alike"),
    ("Marketing", "Market Research", "different", "look-alike"),
    ("Penetration Testing", "Performance Testing", "different", "look-alike"),
    ("Unit Testing", "Usability Testing", "different", "look-alike"),
    ("Data Mining", "Data Modeling", "different", "look-alike"),
    ("Content Writing", "Content Editing", "different", "look-alike"),
    ("Swift", "SwiftUI", "related", "narrower"),
    ("Spanish", "Spanish Translation", "related", "narrower"),
    ("Java", "Java EE", "related", "narrower"),
    ("Angular 8", "Angular 15", "related", "version"),
    ("PHP 7", "PHP 8", "related", "version"),
    ("Power BI", "Looker Studio", "related", "substitute"),
    ("Jira", "Trello", "related", "substitute"),
    ("Adobe Premiere Pro", "Final Cut Pro", "related", "substitute"),
    ("Shopify", "WooCommerce", "related", "substitute"),
    ("Laravel", "Symfony", "related", "substitute"),
    ("Python", "Flask", "related", "narrower"),
    ("CSS", "Tailwind CSS", "related", "narrower"),
    ("Machine Learning", "Deep Learning", "related", "narrower"),
    ("Digital Marketing", "SEO", "related", "narrower"),
    ("React", "Next.js", "related", "narrower"),
]

# Different spellings the export-like perturbation may produce, by index of a pair.
PERTURB = ("upper", "hyphen", "plural", "compact", "as-is")


def split_of(a: str, b: str) -> str:
    """70 % dev, 30 % test, from a hash of the pair (stable across runs and machines)."""
    digest = hashlib.sha256(f"{a}\x1f{b}".encode()).digest()
    return "test" if digest[0] % 10 < 3 else "dev"


def perturb(text: str, how: str) -> str:
    """An export-like spelling of a label (case, separators, plural of the last word)."""
    if how == "upper":
        return text.upper()
    if how == "hyphen":
        return text.replace(" ", "-")
    if how == "plural":
        parts = text.split()
        last = parts[-1]
        if last.isalpha() and last.islower() and not last.endswith("s") and len(last) > 3:
            if last.endswith("y") and last[-2] not in "aeiou":
                parts[-1] = last[:-1] + "ies"
            elif not last.endswith(("x", "ch", "sh")):
                parts[-1] = last + "s"
        return " ".join(parts)
    if how == "compact":
        return text.replace(" ", "") if len(text.split()) == 2 else text
    return text


def esco_positives(source: Path, limit: int) -> list[dict[str, str]]:
    """Preferred label / alternative label pairs of the ESCO concepts the KB keeps."""
    rows, _, _ = kbb.select_esco(source / "esco")
    english = kbb.english_words(source / "esco")
    out = []
    for row in sorted(rows, key=lambda r: r["conceptUri"]):
        label = clean(row["preferredLabel"])
        for alt in kbb.alt_labels(row["altLabels"]):
            alt = clean(alt)
            if key(alt) == key(label) or len(alt.split()) > 5 or key(alt) in kbb.ESCO_ALT_DROPS:
                continue
            if kbb.loose_synonym(alt, label, english):
                continue
            out.append((label, alt))
    out.sort(key=lambda p: hashlib.sha256("\x1f".join(p).encode()).hexdigest())
    pairs = []
    for n, (label, alt) in enumerate(out[:limit]):
        how = PERTURB[n % len(PERTURB)]
        written = perturb(alt, how)
        pairs.append(
            {
                "a": label,
                "b": written,
                "label": "same",
                "kind": f"esco-alt/{how}",
                "source": "ESCO v1.1.1",
                "split": split_of(label, written),
            }
        )
    return pairs


def similar_negatives(source: Path, limit: int) -> list[dict[str, str]]:
    """Distinct ESCO knowledge concepts and curated skills whose names look alike."""
    english = kbb.english_words(source / "esco")
    labels = {
        clean(r["preferredLabel"])
        for r in kbb.read_csv(source / "esco" / "skills_en.csv")
        if len(r["preferredLabel"].split()) <= (3 if r["skillType"] == "knowledge" else 4)
    }
    labels.update(kbb.EXTRA_CONCEPTS)
    names = sorted(n for n in labels if n and "(" not in n)
    scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=85, workers=1)
    out = []
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            if scores[i, j] < 85:
                continue
            b = names[j]
            wa, wb = set(words(key(a))), set(words(key(b)))
            diff = wa ^ wb
            if not diff or fold(key(a)) == fold(key(b)):
                continue
            if all(w in english for w in diff) and len(wa) == len(wb):
                out.append((a, b, int(scores[i, j])))
    out.sort(key=lambda p: hashlib.sha256(f"{p[0]}\x1f{p[1]}".encode()).hexdigest())
    return [
        {
            "a": a,
            "b": b,
            "label": "different",
            "kind": f"similar-names/ratio-{score // 5 * 5}",
            "source": "ESCO v1.1.1",
            "split": split_of(a, b),
        }
        for a, b, score in out[:limit]
    ]


def typo_guard_negatives(limit: int) -> list[dict[str, str]]:
    """A known one-word skill and an ordinary English word one or two edits away that names
    no skill (Animation/Aviation): a typo step must never merge them."""
    from rapidfuzz.distance import OSA

    from gigmatch.skills import load_knowledge

    kb = load_knowledge()
    names = sorted(
        {c.name for c in kb if c.popular and " " not in c.name and len(c.name) >= 5}, key=str.lower
    )
    vocab = sorted(w for w in kb.english if len(w) >= 5 and kb.find(w) is None)
    dist = process.cdist(
        [n.casefold() for n in names], vocab, scorer=OSA.distance, score_cutoff=2, workers=1
    )
    out = []
    for i, name in enumerate(names):
        for j in (dist[i] <= 2).nonzero()[0]:
            word = vocab[j]
            if fold(word) != fold(key(name)):
                out.append((name, word.capitalize(), int(dist[i, j])))
    out.sort(key=lambda p: hashlib.sha256(f"{p[0]}\x1f{p[1]}".encode()).hexdigest())
    return [
        {
            "a": a,
            "b": b,
            "label": "different",
            "kind": f"real-word/distance-{d}",
            "source": "knowledge base + ESCO words",
            "split": split_of(a, b),
        }
        for a, b, d in out[:limit]
    ]


def hand_pairs() -> list[dict[str, str]]:
    """The hand-written pairs."""
    return [
        {"a": a, "b": b, "label": label, "kind": kind, "source": "hand", "split": split_of(a, b)}
        for a, b, label, kind in HAND
    ]


def blind_pairs() -> list[dict[str, str]]:
    """The blind hand-written pairs: all held out."""
    return [
        {"a": a, "b": b, "label": label, "kind": kind, "source": "hand, blind", "split": "test"}
        for a, b, label, kind in HAND_BLIND
    ]


def write(rows: list[dict[str, str]], path: Path) -> None:
    """CSV with a fixed column order and LF line ends, written atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(buf.getvalue(), "utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    """Command line: write the three files and print their sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default="../shared/data/skills", type=Path)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sets = {
        "esco_alt.csv": esco_positives(args.source, 1500),
        "similar_names.csv": similar_negatives(args.source, 600),
        "real_words.csv": typo_guard_negatives(400),
        "hand.csv": hand_pairs(),
        "hand_blind.csv": blind_pairs(),
    }
    for name, rows in sets.items():
        write(rows, OUT / name)
        print(f"{name}: {len(rows)} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
