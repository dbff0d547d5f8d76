"""Build gigmatch/data/skill_kb.txt, the offline skill knowledge base, from public sources.

Usage: python scripts/build_skill_kb.py [SOURCE_DIR] [--out PATH]
(SOURCE_DIR defaults to ../shared/data/skills, holding esco/, onet/ and languages.yml.)

What goes in, and why
---------------------
1. The curated table gigmatch/data/aliases.toml (hand-reviewed, ~500 skills) and the few extra
   concepts and spellings below (EXTRA_CONCEPTS). They win every conflict: their spellings have
   the highest priority and their display names are the ones shown.
2. GitHub Linguist programming languages (MIT): the name only, when it is at least three
   characters and not an ordinary English word ("Red", "Ring" and "Pan" are not skills a person
   means); Linguist aliases were already reviewed into aliases.toml, so they are not re-imported.
3. ESCO v1.1.1 (CC BY 4.0). ESCO phrases most of its 13,896 entries as competences ("conduct
   qualitative research") and many are trades no freelance market staffs. Kept:
   - the digital skills collection (1,201 ICT skills: languages, tools, methods) and the
     transversal collection (96: communication, teamwork...), whatever their phrasing;
   - the language collection's knowledge entries ("Japanese", "Spanish"): translators list them;
   - knowledge concepts whose label is at most three words: these are nouns ("data mining",
     "typography", "telemarketing") and cheap to keep;
   - cross-sector and transversal competences of at most four words that start with a verb:
     they are kept with their verb-less remainder as a spelling ("conduct qualitative research"
     is also found as "qualitative research").
   About 5,000 concepts. Alternative labels of up to five words are spellings, minus a reviewed
   drop list of ESCO labels that name another thing (SEM is not SEO, Mocha is not JavaScript).
   ESCO broader links between two kept concepts become "narrower implies broader" relations.
4. O*NET Technology Skills (CC BY 4.0): every tool that is not a generic descriptor ("Video
   editing software" is a category written as a tool and is dropped). Derived spellings: the
   name without a trailing filler word ("Tableau Software" -> "Tableau"), without a trailing
   acronym and the acronym alone ("Structured query language SQL"), and without the vendor
   ("Qlik Tech QlikView" -> "QlikView") when what is left is not an ordinary English word
   ("Microsoft Word" does not give "Word"). A tool becomes a typo target only when O*NET marks
   it hot or three occupations use it, so obscure tools cannot capture misspellings.

Categories and substitutes (reviewed)
-------------------------------------
O*NET commodity titles are coarse and sometimes odd (TensorFlow under "Industrial control
software", Apache Spark under "Business intelligence"). Only the categories in
SUBSTITUTE_CATEGORIES make tools substitutes of one another, under a short name, with the tools
in CATEGORY_DROPS taken out and those in TOOL_MOVES moved; only tools O*NET marks hot or that two
occupations use take part. CURATED_GROUPS adds hand-made families O*NET lacks (JavaScript
frameworks, relational databases, CMS...). IMPLIES lists hand-checked "narrower implies broader"
links (Django implies Python).

Collisions: a form (key, compact or fold, see gigmatch/skills/text.py) claimed by two concepts
goes to the one with the better source priority; at equal priority it is marked ambiguous (-1)
and resolves to nothing, so a loose form never merges two concepts. BLOCKED spellings (short
words with several meanings, from the curated table's review) never resolve to any concept.

Output: sectioned UTF-8 text, one item per line (gigmatch.skills.knowledge.dump_knowledge, next
to its reader): the same sources give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gigmatch.skills.knowledge import FILE_NAME, dump_knowledge  # noqa: E402
from gigmatch.skills.text import (  # noqa: E402
    SMALL_WORDS,
    clean,
    compact,
    fold,
    key,
    singular,
    split_parens,
    trailing_acronym,
    words,
)

FORMAT = 1
CURATED, LINGUIST, ESCO_LABEL, ONET, ESCO_ALT, DERIVED, ACRONYM = 0, 1, 2, 3, 4, 5, 6

# --- Reviewed lists --------------------------------------------------------------------------

# Spellings with several meanings in a freelance skills list (from aliases.toml's review, plus
# generic words that O*NET or ESCO would otherwise claim). They never resolve to a concept.
# fmt: off
BLOCKED = {
    "cv", "tf", "ps", "rn", "pm", "pr", "gtm", "ea", "ba", "ad", "xd", "md", "vo", "sh", "rs",
    "es", "gql", "crypto", "apex", "oracle", "apache", "chef", "ada", "asp", "visual basic",
    "perl6", "lisp", "flex", "coffee", "progress", "software", "tool", "tools", "platform",
    "system", "systems", "application", "applications", "app", "apps", "program", "programs",
    "database", "databases", "language", "framework", "development", "programming", "web", "data",
    "design", "management", "analysis", "service", "services", "suite", "online", "digital",
    "computer", "internet", "network", "office", "google", "microsoft", "adobe", "amazon", "ibm",
    "project", "word", "access", "teams", "basic", "go", "d", "j", "m", "s",
}
# fmt: on
# "Go" is the curated language; blocking "go" only stops other sources from claiming it.
# fmt: off
UNBLOCK_CURATED = {"go"}
# fmt: on

# Concepts and spellings the curated table lacks; real skills seen in freelance exports.
# fmt: off
EXTRA_CONCEPTS: dict[str, list[str]] = {
    "Logo Design": ["logo", "logos", "logo designer"],
    "Software Development": ["software developer"],
    "Ethereum": [],
    "Elementor": ["elementor pro"],
    "Zendesk": [],
    "Etsy": [],
    "Supabase": [],
    "Bubble.io": ["bubble io"],
    "Prototyping": ["prototype", "prototypes"],
    "Video Production": [],
    "Audio Editing": [],
    "Sound Design": [],
    "Marketing": ["marketing strategy"],
    "Telemarketing": ["telesales", "cold calling"],
    "Transcreation": [],
    "Qualitative Research": [],
    "Quantitative Research": [],
    "Business Planning": ["business plan", "business plans", "business plan writing"],
    "Cryptography": [],
    "Typography": [],
    "Virtualization": ["virtualisation"],
    "Dashboard Design": ["dashboard", "dashboards", "dashboard development", "dashboard creation"],
    "Data Reporting": ["reporting", "reports", "business reporting", "report development"],
    "QlikView": ["qlik view", "qliktech qlikview", "qlik tech qlikview"],
    "Qlik Sense": ["qliksense"],
    "Looker": ["google looker"],
    "MicroStrategy": [],
    "Zoho CRM": [],
    "Pipedrive": [],
    "BigCommerce": [],
    "Squarespace": [],
    "Joomla": [],
    "GIMP": ["gnu image manipulation program"],
    "Inkscape": [],
    "Affinity Designer": [],
    "Affinity Photo": [],
    "Klaviyo": [],
    "ActiveCampaign": [],
    "Asana": [],
    "Trello": [],
    "Monday.com": ["monday"],
    "ClickUp": [],
    "Notion": [],
    "Pulumi": [],
    "Puppet": [],
    "Odoo": [],
    "Google Slides": [],
    "Google Docs": [],
    "Keynote": ["apple keynote"],
    "Adobe Audition": ["audition"],
    "Pro Tools": ["avid pro tools"],
    "Audacity": [],
    "Logic Pro": ["apple logic pro"],
    "Ableton Live": ["ableton"],
    "FL Studio": ["fruity loops"],
    "Adobe Analytics": [],
    "Mixpanel": [],
    "Subversion": ["svn", "apache subversion"],
    "Mercurial": [],
    "Automation Anywhere": [],
    "Blue Prism": [],
    "n8n": [],
    "Microsoft Advertising": ["bing ads"],
    "LinkedIn Ads": ["linkedin advertising"],
    "Autodesk Inventor": ["inventor"],
    "CATIA": ["dassault catia"],
    "ArchiCAD": ["graphisoft archicad"],
    "ArcGIS": ["esri arcgis"],
    "QGIS": [],
    "QuarkXPress": ["quark"],
    "Microsoft Publisher": [],
    "Microsoft Project": ["ms project"],
    "Minitab": [],
    "Wave Accounting": [],
    "Avid Media Composer": ["media composer"],
}
# fmt: on

# ESCO alternative labels that name something else (reviewed). Keys as key() gives them.
# fmt: off
ESCO_ALT_DROPS = {
    "sem", "search engine marketing", "search marketing", "mocha", "subquery", "pyston",
    "informix 4gl sql", "escript", "live script", "livescript", "live-script", "csjs", "big data",
    "devops", "it", "ict", "cloud", "the cloud", "web", "internet", "fiction", "nonfiction",
    "non fiction",
}
# fmt: on

# Narrower concept -> the broader concepts it implies (display names of the curated table).
# fmt: off
IMPLIES: dict[str, list[str]] = {
    "Django": ["Python"],
    "Flask": ["Python"],
    "FastAPI": ["Python"],
    "pandas": ["Python"],
    "NumPy": ["Python"],
    "SciPy": ["Python"],
    "scikit-learn": ["Python", "Machine Learning"],
    "PyTorch": ["Python", "Deep Learning"],
    "TensorFlow": ["Deep Learning"],
    "Keras": ["Python", "Deep Learning"],
    "PySpark": ["Python", "Apache Spark"],
    "Beautiful Soup": ["Python", "Web Scraping"],
    "Pytest": ["Python"],
    "Django REST Framework": ["Django"],
    "Jupyter Notebook": ["Python"],
    "LangChain": ["Python", "Large Language Models"],
    "Laravel": ["PHP"],
    "Symfony": ["PHP"],
    "CodeIgniter": ["PHP"],
    "CakePHP": ["PHP"],
    "WooCommerce": ["WordPress", "E-commerce"],
    "Magento": ["E-commerce"],
    "Shopify": ["E-commerce"],
    "BigCommerce": ["E-commerce"],
    "Amazon FBA": ["E-commerce"],
    "React": ["JavaScript"],
    "Vue.js": ["JavaScript"],
    "Angular": ["TypeScript"],
    "AngularJS": ["JavaScript"],
    "Next.js": ["React"],
    "Nuxt.js": ["Vue.js"],
    "Node.js": ["JavaScript"],
    "Express.js": ["Node.js"],
    "NestJS": ["Node.js", "TypeScript"],
    "jQuery": ["JavaScript"],
    "Svelte": ["JavaScript"],
    "SvelteKit": ["Svelte"],
    "Redux": ["React"],
    "Gatsby": ["React"],
    "Three.js": ["JavaScript"],
    "D3.js": ["JavaScript", "Data Visualization"],
    "Ember.js": ["JavaScript"],
    "Electron": ["JavaScript"],
    "TypeScript": ["JavaScript"],
    "React Native": ["React"],
    "Material UI": ["React"],
    "Tailwind CSS": ["CSS"],
    "Bootstrap": ["CSS"],
    "Sass": ["CSS"],
    "Less": ["CSS"],
    "Ruby on Rails": ["Ruby"],
    "Spring Boot": ["Spring Framework"],
    "Spring Framework": ["Java"],
    "Hibernate": ["Java"],
    "Java EE": ["Java"],
    "ASP.NET": [".NET"],
    "Entity Framework": [".NET"],
    "Blazor": ["ASP.NET"],
    "Xamarin": [".NET"],
    ".NET MAUI": [".NET"],
    "WPF": [".NET"],
    "WinForms": [".NET"],
    "Jetpack Compose": ["Android"],
    "SwiftUI": ["Swift", "iOS"],
    "Flutter": ["Dart"],
    "Phoenix": ["Elixir"],
    "PostgreSQL": ["SQL"],
    "MySQL": ["SQL"],
    "Microsoft SQL Server": ["SQL"],
    "T-SQL": ["SQL"],
    "PL/SQL": ["SQL"],
    "SQLite": ["SQL"],
    "MariaDB": ["SQL"],
    "Oracle Database": ["SQL"],
    "MongoDB": ["NoSQL"],
    "Apache Cassandra": ["NoSQL"],
    "Amazon DynamoDB": ["NoSQL", "Amazon Web Services"],
    "AWS Lambda": ["Amazon Web Services", "Serverless"],
    "AWS CloudFormation": ["Amazon Web Services"],
    "Amazon Redshift": ["Amazon Web Services"],
    "Docker Compose": ["Docker"],
    "OpenShift": ["Kubernetes"],
    "GitHub Actions": ["CI/CD"],
    "GitLab CI": ["CI/CD"],
    "CircleCI": ["CI/CD"],
    "Jenkins": ["CI/CD"],
    "GitHub": ["Git"],
    "GitLab": ["Git"],
    "Linux System Administration": ["Linux"],
    "Local SEO": ["Search Engine Optimization"],
    "Link Building": ["Search Engine Optimization"],
    "SEO Writing": ["Search Engine Optimization", "Content Writing"],
    "Google Ads": ["Pay-Per-Click"],
    "Facebook Ads": ["Social Media Marketing"],
    "Social Media Marketing": ["Digital Marketing"],
    "Search Engine Optimization": ["Digital Marketing"],
    "Email Marketing": ["Digital Marketing"],
    "Content Marketing": ["Digital Marketing"],
    "Search Engine Marketing": ["Digital Marketing"],
    "Pay-Per-Click": ["Search Engine Marketing"],
    "Affiliate Marketing": ["Digital Marketing"],
    "Digital Marketing": ["Marketing"],
    "Telemarketing": ["Marketing"],
    "Logo Design": ["Graphic Design"],
    "T-Shirt Design": ["Graphic Design"],
    "Infographics": ["Graphic Design"],
    "UI/UX Design": ["UI Design", "UX Design"],
    "Photo Retouching": ["Photo Editing"],
    "Tableau": ["Data Visualization", "Dashboard Design"],
    "Power BI": ["Data Visualization", "Dashboard Design", "Data Reporting"],
    "Looker Studio": ["Data Visualization", "Dashboard Design"],
    "QlikView": ["Data Visualization", "Dashboard Design"],
    "Qlik Sense": ["Data Visualization", "Dashboard Design"],
    "Dashboard Design": ["Data Visualization"],
    "Data Visualization": ["Data Analysis"],
    "Machine Learning": ["Artificial Intelligence"],
    "Deep Learning": ["Machine Learning"],
    "Natural Language Processing": ["Machine Learning"],
    "Computer Vision": ["Machine Learning"],
    "Large Language Models": ["Generative AI"],
    "Generative AI": ["Artificial Intelligence"],
    "Prompt Engineering": ["Generative AI"],
    "Retrieval-Augmented Generation": ["Large Language Models"],
    "OpenAI API": ["Large Language Models"],
    "Unity": ["Game Development"],
    "Unreal Engine": ["Game Development"],
    "Godot": ["Game Development"],
    "QuickBooks": ["Bookkeeping"],
    "Xero": ["Bookkeeping"],
    "Bookkeeping": ["Accounting"],
    "Blog Writing": ["Content Writing"],
    "Penetration Testing": ["Cybersecurity"],
    "Selenium": ["Test Automation"],
    "Cypress": ["Test Automation"],
    "Playwright": ["Test Automation"],
    "Test Automation": ["QA Testing"],
    "Front-End Development": ["Web Development"],
    "Back-End Development": ["Web Development"],
    "Full-Stack Development": ["Web Development"],
    "Qualitative Research": ["Market Research"],
    "Quantitative Research": ["Statistics"],
    "Excel VBA": ["Microsoft Excel"],
    "Google Analytics": ["Data Analysis"],
    "Adobe Photoshop": ["Photo Editing"],
    "Adobe Premiere Pro": ["Video Editing"],
    "Final Cut Pro": ["Video Editing"],
    "DaVinci Resolve": ["Video Editing"],
    "Adobe After Effects": ["Motion Graphics"],
    "Figma": ["UI Design"],
    "Adobe XD": ["UI Design"],
    "Sketch": ["UI Design"],
    "Transcreation": ["Translation"],
    "Elementor": ["WordPress"], "Ethereum": ["Blockchain"], "Solidity": ["Smart Contracts"],
    "Smart Contracts": ["Blockchain"], "Sound Design": ["Audio Editing"],
    "Subtitling": ["Translation"],
    "Localization": ["Translation"],
    "Copy Editing": ["Proofreading"],
}
# fmt: on

# Hand-made substitute families (tools that can stand in for one another, partly).
# fmt: off
CURATED_GROUPS: dict[str, list[str]] = {
    "BI software": [
        "Tableau", "Power BI", "Looker Studio", "QlikView", "Qlik Sense", "Looker",
        "MicroStrategy",
    ],
    "JavaScript frameworks": ["React", "Angular", "Vue.js", "Svelte", "Ember.js", "AngularJS"],
    "Python web frameworks": ["Django", "Flask", "FastAPI"],
    "PHP frameworks": ["Laravel", "Symfony", "CodeIgniter", "CakePHP"],
    "Node.js frameworks": ["Express.js", "NestJS"],
    "cloud platforms": [
        "Amazon Web Services", "Microsoft Azure", "Google Cloud Platform", "DigitalOcean",
    ],
    "CI/CD tools": ["Jenkins", "GitHub Actions", "GitLab CI", "CircleCI", "Azure DevOps"],
    "relational databases": [
        "MySQL", "PostgreSQL", "Microsoft SQL Server", "Oracle Database", "MariaDB", "SQLite",
    ],
    "NoSQL databases": ["MongoDB", "Apache Cassandra", "Amazon DynamoDB", "Cloud Firestore"],
    "data warehouses": ["Snowflake", "BigQuery", "Amazon Redshift"],
    "e-commerce platforms": ["Shopify", "WooCommerce", "Magento", "BigCommerce"],
    "website builders and CMS": ["WordPress", "Drupal", "Joomla", "Wix", "Webflow", "Squarespace"],
    "cross-platform mobile frameworks": [
        "Flutter", "React Native", "Ionic", "Xamarin", ".NET MAUI",
    ],
    "UI design tools": ["Figma", "Sketch", "Adobe XD"],
    "deep learning frameworks": ["TensorFlow", "PyTorch", "Keras"],
    "spreadsheets": ["Microsoft Excel", "Google Sheets"],
    "accounting software": ["QuickBooks", "Xero", "Sage", "FreshBooks", "Wave Accounting"],
    "CRM software": ["Salesforce", "HubSpot", "Zoho CRM", "Microsoft Dynamics", "Pipedrive"],
    "video editing software": [
        "Adobe Premiere Pro", "Final Cut Pro", "DaVinci Resolve", "Avid Media Composer",
    ],
    "3D software": ["Blender", "Autodesk Maya", "Autodesk 3ds Max", "Cinema 4D"],
    "mechanical CAD": ["SolidWorks", "Autodesk Fusion", "Autodesk Inventor", "CATIA"],
    "architectural CAD": ["Revit", "ArchiCAD", "SketchUp", "AutoCAD"],
    "raster graphics editors": ["Adobe Photoshop", "GIMP", "Affinity Photo"],
    "vector graphics editors": ["Adobe Illustrator", "CorelDRAW", "Inkscape", "Affinity Designer"],
    "desktop publishing": ["Adobe InDesign", "QuarkXPress", "Microsoft Publisher"],
    "game engines": ["Unity", "Unreal Engine", "Godot"],
    "automation platforms": ["Zapier", "Make.com", "n8n", "Power Automate"],
    "RPA tools": ["UiPath", "Automation Anywhere", "Blue Prism"],
    "browser test automation": ["Selenium", "Cypress", "Playwright"],
    "configuration management": ["Ansible", "Puppet"],
    "infrastructure as code": ["Terraform", "AWS CloudFormation", "Pulumi"],
    "message brokers": ["Apache Kafka", "RabbitMQ"],
    "project management software": [
        "Jira", "Asana", "Trello", "Monday.com", "ClickUp", "Microsoft Project", "Notion",
    ],
    "statistics software": ["SPSS", "Stata", "SAS", "Minitab"],
    "email marketing platforms": ["Mailchimp", "Klaviyo", "ActiveCampaign"],
    "audio software": [
        "Adobe Audition", "Pro Tools", "Audacity", "Logic Pro", "Ableton Live", "FL Studio",
    ],
    "presentation software": ["Microsoft PowerPoint", "Google Slides", "Keynote"],
    "word processors": ["Microsoft Word", "Google Docs"],
    "GIS software": ["ArcGIS", "QGIS"],
    "ERP software": ["SAP", "Oracle NetSuite", "Microsoft Dynamics", "Odoo"],
    "CSS frameworks": ["Bootstrap", "Tailwind CSS"],
    "ad platforms": ["Google Ads", "Facebook Ads", "Microsoft Advertising", "LinkedIn Ads"],
    "web analytics": ["Google Analytics", "Adobe Analytics", "Mixpanel"],
    "version control": ["Git", "Subversion", "Mercurial"],
    "mobile platforms": ["iOS", "Android"],
    "JVM and .NET languages": ["Java", "C#", "Kotlin"],
}
# fmt: on

# O*NET commodity titles whose popular tools are substitutes, under a short name. Others
# ("Development environment software" mixes C, Azure and Kafka) only give a category label.
# fmt: off
SUBSTITUTE_CATEGORIES = {
    "Business intelligence and data analysis software": "BI software",
    "Customer relationship management CRM software": "CRM software",
    "Accounting software": "accounting software",
    "Spreadsheet software": "spreadsheets",
    "Presentation software": "presentation software",
    "Desktop publishing software": "desktop publishing",
    "Video creation and editing software": "video editing software",
    "Music or sound editing software": "audio software",
    "Geographic information system": "GIS software",
    "Tax preparation software": "tax software",
    "Human resources software": "HR software",
    "Enterprise resource planning ERP software": "ERP software",
    "Configuration management software": "configuration management",
}
# fmt: on
# Tools taken out of a substitute category (they are not interchangeable with the rest).
# fmt: off
CATEGORY_DROPS = {
    "Apache Spark", "Google DoubleClick", "MICROS XBR Loss Prevention", "Atlas Search",
    "BrightEdge", "Conductor Searchlight", "Searchmetrics Suite", "Guardian Analytics FraudMAP",
    "MapReduce big data software", "AWS Elastic MapReduce (EMR)", "DataSwell",
    "Illusions Online Illusions OnDemand", "IBM Digital Analytics", "Constant Contact",
    "Blackbaud The Raiser's Edge", "Blackbaud eTapestry", "GE Healthcare Centricity EMR",
    "Quicken", "Mentimeter", "Poll Everywhere", "Pear Deck", "LaTeX", "SoftCafe MenuPro",
    "Sawtooth SSI Web", "Adobe Distiller", "YouTube", "Flipgrid", "Screencastify", "Loom",
    "TikTok", "Vimeo", "Apple QuickTime", "Autodesk 3ds Max", "Maxon Cinema 4D",
    "Adobe After Effects", "WideOrbit", "Avid Technology iNEWS", "Character generator software",
    "Chaos Group V-Ray", "Pixar RenderMan Studio", "Autodesk MotionBuilder", "Dartfish ProSuite",
    "Sorenson Media Sorenson Squeeze", "Apple DVD Studio Pro", "Apple iDVD",
    "Avid Technology Sibelius", "MakeMusic Finale",
    "Musical instrument digital interface MIDI software", "Virtual instrument software",
    "Perforce Helix software", "IBM Rational ClearCase", "Microsoft Windows Sysprep",
    "Oracle Primavera Enterprise Project Portfolio Management", "IBM Cognos",
    "Kronos Enterprise Workforce Management", "Ab Initio", "Informatica Corporation PowerCenter",
    "TMW PowerSuite",
}
# fmt: on
# Tools whose O*NET category is wrong, moved to a better label (None: no category).
# fmt: off
TOOL_MOVES: dict[str, str | None] = {
    "TensorFlow": "machine learning software",
    "Apache MXNet": "machine learning software",
    "Chatbot software": None,
    "Apache Spark": "big data software",
    "MapReduce big data software": "big data software",
    "AWS Elastic MapReduce (EMR)": "big data software",
    "BrightEdge": "SEO software",
    "Conductor Searchlight": "SEO software",
    "Searchmetrics Suite": "SEO software",
    "Google DoubleClick": "advertising software",
    "LinkedIn": "social media",
    "Facebook": "social media",
    "Instagram": "social media",
    "Amazon Web Services AWS software": "cloud platforms",
    "Microsoft Azure software": "cloud platforms",
    "Apache Kafka": "message brokers",
    "Kali Linux": "security testing software",
    "Rockwell RSLogix": "industrial control software",
}
# fmt: on

# Leading vendor names that exports put before a product ("QlikTech QlikView").
# fmt: off
VENDORS = [
    "microsoft", "ms", "oracle", "ibm", "autodesk", "adobe", "the mathworks", "mathworks", "sap",
    "apache", "apple", "google", "amazon", "aws", "siemens", "esri", "corel", "cisco",
    "cisco systems", "symantec", "intuit", "atlassian", "trimble", "bentley", "cadence",
    "synopsys", "mentor graphics", "national instruments", "hewlett packard", "hewlett-packard",
    "hp", "red hat", "sun microsystems", "dassault systemes", "mcneel", "qlik", "qlik tech",
    "qliktech", "tibco", "statacorp", "wolfram research", "wolfram", "maplesoft", "embarcadero",
    "jetbrains", "hashicorp", "unity technologies", "epic games", "meta", "facebook", "zoho",
    "salesforce", "salesforce.com", "teradata", "avid", "avid technology", "pixologic", "maxon",
    "blackmagic", "blackmagic design", "ptc", "graphisoft", "infor", "sage", "elastic",
    "mongodb inc", "vmware", "citrix", "netsuite", "shopify", "intel", "nvidia", "openai",
]
# fmt: on
# O*NET tools that are a concept their spellings do not reach (reviewed): O*NET's own typo
# ("Structure query language"), a spelled-out name around an acronym, or a product plus a
# qualifier that ESCO lists only as an alternative label ("Jenkins CI", "Eclipse IDE").
# Targets are names or labels of concepts already built (the build fails if one is unknown).
# fmt: off
ONET_SAME = {
    "NetSuite ERP": "Oracle NetSuite", "NetSuite NetCRM": "Oracle NetSuite",
    "Structure query language SQL": "SQL",
    "Microsoft transact-structural query language T-SQL": "T-SQL",
    "Eclipse IDE": "Eclipse (integrated development environment software)",
    "Jenkins CI": "Jenkins",
    "Syntactically awesome style sheets SASS": "Sass",
    "FileMaker Pro": "Filemaker",
    "Rapid7 Nexpose": "Nexpose",
    "Pentaho Kettle": "Pentaho Data Integration",
}
# fmt: on
# fmt: off
ONET_OWN = {
    "Cisco IOS", "Oracle SQL Developer", "Adobe eLearning Suite",
    "Motorola Digital Signal Processing (DSP) Assembler",
}
# Categories and practices that a tool's vendor-less name must not be merged into.
NO_MERGE_INTO = {"ERP", "CRM", "CAD", "ETL", "E-learning", "PMP", "NoSQL"}
# fmt: on
# Vendor-less remainders that are generic phrases, not product names.
# fmt: off
GENERIC_REMAINDERS = {
    "web services", "cloud", "cloud software", "business intelligence", "office software",
    "operating system", "data studio", "analytics", "ads", "business objects", "enterprise",
}
# fmt: on
# Trailing words that add nothing to the skill ("SQL Programming", "Tableau Software").
# fmt: off
FILLERS = [
    "software", "programming", "development", "developer", "developers", "language", "framework",
    "platform", "tool", "tools", "suite", "app", "apps", "scripting", "coding", "expert",
    "specialist", "skills", "services", "service", "consulting", "consultant",
    "website", "websites", "store", "desktop", "containers", "advertising",
]
# fmt: on

# O*NET examples ending in one of these, written in ordinary words, are categories, not tools.
# fmt: off
GENERIC_NOUNS = {
    "software", "systems", "system", "tools", "applications", "programs", "databases", "sites",
    "services", "packages", "suites", "libraries", "platforms", "solutions", "database",
}
# fmt: on


@dataclass
class Concept:
    """A concept under construction."""

    name: str
    sources: set[str] = field(default_factory=set)
    category: str | None = None
    spellings: dict[str, str] = field(default_factory=dict)  # key -> spelling as written
    popular: bool = False


class Builder:
    """Concepts and the forms that name them, with per-form priorities."""

    def __init__(self, english: set[str] | None = None) -> None:
        self.english = english or set()  # ordinary words, for `false_singular`
        self.concepts: list[Concept] = []
        self.claims: dict[str, dict[str, dict[int, int]]] = {
            "key": defaultdict(dict),
            "compact": defaultdict(dict),
            "fold": defaultdict(dict),
        }
        self.broader: dict[int, set[int]] = defaultdict(set)
        self.groups: dict[str, set[int]] = defaultdict(set)

    def add(self, name: str, source: str, *, popular: bool = False) -> int:
        """A new concept named `name`."""
        self.concepts.append(Concept(name=name, sources={source}, popular=popular))
        return len(self.concepts) - 1

    def spell(self, idx: int, spelling: str, priority: int) -> None:
        """Claim a spelling's three forms for a concept (blocked spellings never claimed)."""
        spelling = clean(spelling)
        k = key(spelling)
        if not k or is_blocked(k) and not (priority == CURATED and k in UNBLOCK_CURATED):
            return
        self.concepts[idx].spellings.setdefault(k, spelling)
        for kind, form in (("key", k), ("compact", compact(k)), ("fold", fold(k))):
            if kind != "key" and is_blocked(form):
                continue
            claims = self.claims[kind][form]
            claims[idx] = min(priority, claims.get(idx, priority))

    def find(self, spelling: str, max_priority: int) -> int | None:
        """The one concept that already claims this spelling at a good priority, if any."""
        k = key(clean(spelling))
        for kind, form in (("key", k), ("compact", compact(k)), ("fold", fold(k))):
            if kind == "fold" and false_singular(k, self.english):
                continue
            claims = self.claims[kind].get(form, {})
            good = {i for i, p in claims.items() if p <= max_priority}
            if len(good) == 1:
                return next(iter(good))
            if good:
                return None
        return None

    def index(self) -> dict[str, dict[str, int]]:
        """Each form to its concept: the best priority wins; a tie is ambiguous (-1)."""
        out: dict[str, dict[str, int]] = {}
        for kind, forms in self.claims.items():
            table: dict[str, int] = {}
            for form, claims in forms.items():
                best = min(claims.values())
                winners = sorted(i for i, p in claims.items() if p == best)
                table[form] = winners[0] if len(winners) == 1 else -1
            out[kind] = table
        return out


def false_singular(k: str, english: set[str]) -> bool:
    """Whether the fold would singularise an ordinary word into a non-word ("canvas" ->
    "canva"): that spelling is not a plural, so its fold form must not merge it into the
    concept the non-word names (Canvas, the learning platform, is not Canva)."""
    for w in words(k):
        one = singular(w)
        if one != w and w in english and one not in english:
            return True
    return False


def is_blocked(k: str) -> bool:
    """Whether a key (or form) is a blocked spelling."""
    return k in BLOCKED


# --- Sources ---------------------------------------------------------------------------------


def english_words(esco_dir: Path) -> set[str]:
    """Ordinary English words: lower-case words of ESCO's descriptions, seen at least twice.

    Product names are written capitalised in running text, so they rarely land here; this is
    the "is it a real word" test for typos and vendor stripping."""
    counts: Counter[str] = Counter()
    for name in ("skills_en.csv", "skillGroups_en.csv"):
        with open(esco_dir / name, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = row.get("description") or ""
                counts.update(re.findall(r"(?<![A-Za-z])[a-z][a-z'-]+[a-z]", text))
    return {w for w, n in counts.items() if n >= 2}


def add_curated(b: Builder, aliases_path: Path) -> dict[str, int]:
    """The curated table and EXTRA_CONCEPTS; returns display name -> concept index."""
    table = tomllib.loads(aliases_path.read_text("utf-8"))["aliases"]
    by_name: dict[str, int] = {}
    for name, aliases in list(table.items()) + list(EXTRA_CONCEPTS.items()):
        idx = by_name.get(name)
        if idx is None:
            idx = b.add(name, "curated", popular=True)
            by_name[name] = idx
        for spelling in (name, *aliases):
            b.spell(idx, spelling, CURATED)
    return by_name


def read_linguist(path: Path) -> list[str]:
    """Programming-language names from Linguist's languages.yml (a tiny reader: no PyYAML)."""
    names: list[str] = []
    current: str | None = None
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith((" ", "#", "-")) and line.endswith(":"):
            current = line[:-1].strip().strip("\"'")
        elif current and line.strip() == "type: programming":
            names.append(current)
    return names


def add_linguist(b: Builder, path: Path, english: set[str]) -> None:
    """Linguist programming languages not in the curated table, unless ordinary words."""
    for name in read_linguist(path):
        k = key(name)
        if len(k) < 3 or k in english or is_blocked(k):
            continue
        if b.find(name, CURATED) is None:
            idx = b.add(name, "linguist")
            b.spell(idx, name, LINGUIST)
        else:
            b.concepts[b.find(name, CURATED)].sources.add("linguist")  # type: ignore[index]


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of an ESCO CSV file."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def alt_labels(cell: str) -> list[str]:
    """ESCO alternative labels: one per line in the full table, ` | ` in collections."""
    parts = re.split(r"\n| \| ", cell or "")
    return [p.strip() for p in parts if p.strip()]


def esco_display(label: str) -> str:
    """ESCO writes labels in lower case: capitalise the first letter unless a name follows."""
    label = clean(label)
    outside = split_parens(label)
    if outside and outside[0]:
        label = outside[0]
    return label[:1].upper() + label[1:]


def select_esco(esco_dir: Path) -> tuple[list[dict[str, str]], set[str], set[str]]:
    """ESCO skills kept (see the module docstring) and the sets of digital/transversal URIs."""
    skills = read_csv(esco_dir / "skills_en.csv")
    digital = {r["conceptUri"] for r in read_csv(esco_dir / "digitalSkillsCollection_en.csv")}
    transversal = {
        r["conceptUri"] for r in read_csv(esco_dir / "transversalSkillsCollection_en.csv")
    }
    languages = {
        r["conceptUri"]
        for r in read_csv(esco_dir / "languageSkillsCollection_en.csv")
        if r["skillType"] == "knowledge"
    }
    kept = []
    for row in skills:
        uri, label = row["conceptUri"], clean(row["preferredLabel"])
        n = len(label.split())
        if uri in digital or uri in transversal or uri in languages:
            kept.append(row)
        elif row["skillType"] == "knowledge" and n <= 3:
            kept.append(row)
        elif row["reuseLevel"] in ("cross-sector", "transversal") and 2 <= n <= 4:
            kept.append(row)
    return kept, digital, transversal


def verb_less(label: str, verbs: set[str]) -> str | None:
    """'conduct qualitative research' -> 'qualitative research' (two words at least left)."""
    parts = clean(label).split()
    if len(parts) >= 3 and parts[0].casefold() in verbs:
        rest = parts[1:]
        if rest[0].casefold() in ("a", "an", "the"):
            rest = rest[1:]
        significant = [w for w in rest if w.casefold() not in SMALL_WORDS]
        return " ".join(rest) if len(significant) >= 2 else None
    return None


def loose_synonym(alt: str, label: str, english: set[str]) -> bool:
    """An ESCO alternative label that is one ordinary word and not a form of the label itself
    ("fiction" for literature, "prose"): too loose to name the concept on its own."""
    k = key(alt)
    return " " not in k and k in english and fold(k) != fold(key(label))


def add_esco(b: Builder, esco_dir: Path, english: set[str]) -> dict[str, int]:
    """Selected ESCO concepts, merged into curated ones with the same name; uri -> index."""
    rows, digital, _ = select_esco(esco_dir)
    languages = {
        r["conceptUri"]
        for r in read_csv(esco_dir / "languageSkillsCollection_en.csv")
        if r["skillType"] == "knowledge"
    }
    first = Counter(
        clean(r["preferredLabel"]).split()[0].casefold()
        for r in read_csv(esco_dir / "skills_en.csv")
        if r["skillType"] == "skill/competence" and clean(r["preferredLabel"])
    )
    verbs = {w for w, n in first.items() if n >= 5}
    by_uri: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: r["conceptUri"]):
        label = clean(row["preferredLabel"])
        display = esco_display(label)
        idx = b.find(display, CURATED) if b.find(display, CURATED) is not None else None
        if idx is None:
            popular = row["conceptUri"] in digital or row["conceptUri"] in languages
            idx = b.add(display, "esco", popular=popular)
        b.concepts[idx].sources.add("esco")
        by_uri[row["conceptUri"]] = idx
        b.spell(idx, label, ESCO_LABEL)
        b.spell(idx, display, ESCO_LABEL)
        rest = verb_less(label, verbs)
        if rest:
            b.spell(idx, rest, DERIVED)
        for alt in alt_labels(row["altLabels"]):
            if len(alt.split()) <= 5 and key(alt) not in ESCO_ALT_DROPS:
                if not loose_synonym(alt, label, english):
                    b.spell(idx, alt, ESCO_ALT)
    edges = read_csv(esco_dir / "broaderRelationsSkillPillar.csv")
    for edge in edges:
        lo, hi = by_uri.get(edge["conceptUri"]), by_uri.get(edge["broaderUri"])
        if lo is not None and hi is not None and lo != hi:
            b.broader[lo].add(hi)
    return by_uri


def onet_rows(path: Path) -> list[dict[str, str]]:
    """Rows of O*NET's Technology Skills.txt."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def is_generic(example: str, english: set[str]) -> bool:
    """'Video editing software' is a category written as a tool; 'Salesforce software' is not.

    Generic: it ends in a generic noun, has no acronym (an acronym names a term: "Domain name
    system DNS", "Learning management system LMS"), and either every word is ordinary English,
    or it is written in sentence case from an English first word ("Accounts payable software",
    "Revision control software")."""
    parts = clean(example).split()
    if not parts or parts[-1].casefold() not in GENERIC_NOUNS:
        return False
    if any(sum(ch.isupper() for ch in p) >= 2 and p.upper() == p for p in parts):
        return False

    def ordinary(w: str) -> bool:
        return w in english or w + "s" in english or w in GENERIC_NOUNS

    if all(ordinary(p.casefold()) for p in parts):
        return True
    sentence_case = all(p == p.casefold() for p in parts[1:])
    return sentence_case and ordinary(parts[0].casefold())


def strip_fillers(text: str) -> str:
    """The text without trailing filler words ('Tableau Software' -> 'Tableau')."""
    parts = clean(text).split()
    while len(parts) > 1 and parts[-1].casefold() in FILLERS:
        parts.pop()
    return " ".join(parts)


def strip_vendor(text: str) -> str | None:
    """The text without a leading vendor name, or None when it has none."""
    k = key(text)
    for vendor in sorted(VENDORS, key=len, reverse=True):
        if k.startswith(vendor + " "):
            n = len(vendor.split())
            return " ".join(clean(text).split()[n:])
    return None


def distinctive(text: str, english: set[str]) -> bool:
    """Whether a name has a word that is not ordinary English (so it names a product)."""
    return any(w not in english and not w.isdigit() for w in words(key(text)))


def onet_spellings(example: str, english: set[str], popular: bool = False) -> list[tuple[str, int]]:
    """The spellings one O*NET tool gives, strongest first."""
    out = [(example, ONET)]
    base = strip_fillers(example)
    if base != example:
        out.append((base, DERIVED))
    acr = trailing_acronym(base)
    if acr:
        out.append((acr[0], DERIVED))
        if len(acr[1]) >= 3:
            out.append((acr[1], ACRONYM))
        base = acr[0]
    parens = split_parens(base)
    if parens:
        out.append((parens[0], DERIVED))
        if parens[1].isupper() and len(parens[1]) >= 3:
            out.append((parens[1], ACRONYM))
    rest = strip_vendor(base)
    if rest and keep_vendorless(rest, english, popular):
        out.append((rest, DERIVED))
        rest2 = strip_vendor(rest)
        if rest2 and keep_vendorless(rest2, english, popular):
            out.append((rest2, DERIVED))
    return out


def onet_display(example: str) -> str:
    """The name shown for an O*NET tool: as O*NET writes it, without a trailing "software"
    ("Tableau software" -> "Tableau"; "Oracle SQL Developer" keeps "Developer")."""
    parts = clean(example).split()
    while len(parts) > 1 and parts[-1].casefold() == "software":
        parts.pop()
    return " ".join(parts)


def onet_merge_target(b: Builder, example: str, spellings: list[tuple[str, int]]) -> int | None:
    """The existing concept an O*NET tool is the same as, if any.

    Acronyms alone never merge ("Pathogen Modeling Program PMP" is not PMP), nor do tools in
    ONET_OWN; a vendor-less name never merges into a category (NetSuite ERP is not ERP)."""
    if example in ONET_SAME:
        found = b.find(ONET_SAME[example], ESCO_LABEL)
        if found is None:
            raise SystemExit(f"build_skill_kb: ONET_SAME names '{ONET_SAME[example]}', unknown")
        return found
    if example in ONET_OWN:
        return None
    for spelling, priority in spellings:
        if priority == ACRONYM:
            continue
        idx = b.find(spelling, ESCO_LABEL)
        if idx is not None and b.concepts[idx].name not in NO_MERGE_INTO:
            return idx
    return None


def keep_vendorless(rest: str, english: set[str], popular: bool) -> bool:
    """Whether a name without its vendor still names the product: when it has a word that is
    not ordinary English ("QlikView"), or, for a popular tool, two words or more that are not a
    generic phrase ("Windows Server", not "Web Services")."""
    if key(rest) in GENERIC_REMAINDERS:
        return False
    return distinctive(rest, english) or (popular and len(rest.split()) >= 2)


def add_onet(b: Builder, path: Path, english: set[str]) -> dict[str, int]:
    """O*NET tools (generic descriptors dropped), merged where a spelling names a known concept."""
    rows = onet_rows(path)
    occupations: dict[str, set[str]] = defaultdict(set)
    hot: set[str] = set()
    titles: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        ex = clean(row["Example"])
        occupations[ex].add(row["O*NET-SOC Code"])
        titles[ex][row["Commodity Title"]] += 1
        if row["Hot Technology"] == "Y":
            hot.add(ex)
    by_example: dict[str, int] = {}
    for ex in sorted(occupations):
        if is_generic(ex, english):
            continue
        popular = ex in hot or len(occupations[ex]) >= 3
        spellings = onet_spellings(ex, english, popular)
        idx = onet_merge_target(b, ex, spellings)
        if idx is None:
            idx = b.add(onet_display(ex), "onet", popular=popular)
        concept = b.concepts[idx]
        concept.sources.add("onet")
        concept.popular = concept.popular or popular
        title = sorted(titles[ex].items(), key=lambda t: (-t[1], t[0]))[0][0]
        category = TOOL_MOVES[ex] if ex in TOOL_MOVES else title
        if concept.category is None and category:
            concept.category = category
        for spelling, priority in spellings:
            b.spell(idx, spelling, priority)
        by_example[ex] = idx
        if (
            title in SUBSTITUTE_CATEGORIES
            and ex not in CATEGORY_DROPS
            and ex not in TOOL_MOVES
            and (ex in hot or len(occupations[ex]) >= 2)
        ):
            b.groups[SUBSTITUTE_CATEGORIES[title]].add(idx)
    return by_example


def lookup(b: Builder, index: dict[str, dict[str, int]], name: str) -> int:
    """The concept a reviewed list names; the build fails loudly when a name is unknown."""
    k = key(name)
    for kind, form in (("key", k), ("compact", compact(k)), ("fold", fold(k))):
        idx = index[kind].get(form, -1)
        if idx >= 0:
            return idx
    raise SystemExit(f"build_skill_kb: reviewed list names '{name}', which no concept has")


def add_reviewed_links(b: Builder, index: dict[str, dict[str, int]]) -> None:
    """IMPLIES and CURATED_GROUPS, by display name."""
    for narrow, broads in IMPLIES.items():
        lo = lookup(b, index, narrow)
        for broad in broads:
            hi = lookup(b, index, broad)
            if hi != lo:
                b.broader[lo].add(hi)
    for group, members in CURATED_GROUPS.items():
        for member in members:
            b.groups[group].add(lookup(b, index, member))


# --- Output ----------------------------------------------------------------------------------


def slug(name: str) -> str:
    """A readable, stable concept id from a display name ('Power BI' -> 'power-bi')."""
    text = key(name).replace("+", "p").replace("#", "sharp")
    text = re.sub(r"^\.", "dot", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def assign_ids(b: Builder) -> list[str]:
    """Concept ids: the slug of the display name, made unique in a fixed order."""
    order = sorted(range(len(b.concepts)), key=lambda i: (min_priority(b, i), b.concepts[i].name))
    ids = [""] * len(b.concepts)
    seen: set[str] = set()
    for i in order:
        base = slug(b.concepts[i].name)
        cid, n = base, 2
        while cid in seen:
            cid, n = f"{base}-{n}", n + 1
        seen.add(cid)
        ids[i] = cid
    return ids


def min_priority(b: Builder, idx: int) -> int:
    """The strongest source of a concept, to let older, curated concepts keep short ids."""
    order = {"curated": 0, "linguist": 1, "esco": 2, "onet": 3}
    return min(order[s] for s in b.concepts[idx].sources)


def document(b: Builder, english: set[str]) -> dict[str, object]:
    """The document written to the shipped file: columns, with concepts as row numbers.

    Concepts are sorted by id and referred to by row number. A compact or fold entry that says
    the same as the key index is left out (the reader falls back to the key index), which
    halves the file and the load time."""
    index = b.index()
    ids = assign_ids(b)
    order = sorted(range(len(b.concepts)), key=lambda i: ids[i])
    row = {i: r for r, i in enumerate(order)}
    categories = sorted({c.category for c in b.concepts if c.category})
    cat_row = {c: r for r, c in enumerate(categories)}
    source_bits = {"curated": 1, "linguist": 2, "esco": 4, "onet": 8}

    def cell(i: int) -> int:
        return row[i] if i >= 0 else -1

    keys = {form: cell(i) for form, i in index["key"].items()}
    looser = {
        kind: {form: cell(i) for form, i in index[kind].items() if keys.get(form) != cell(i)}
        for kind in ("compact", "fold")
    }
    concepts = [b.concepts[i] for i in order]
    return {
        "format": FORMAT,
        "ids": [ids[i] for i in order],
        "names": [c.name for c in concepts],
        "spellings": [
            sorted(set(c.spellings.values()) - {c.name}, key=lambda s: (s.casefold(), s))
            for c in concepts
        ],
        "categories": categories,
        "category": [cat_row[c.category] if c.category else -1 for c in concepts],
        "broader": [sorted(row[j] for j in b.broader.get(i, ())) for i in order],
        "sources": [sum(source_bits[s] for s in c.sources) for c in concepts],
        "popular": [int(c.popular) for c in concepts],
        "groups": {
            g: sorted(row[i] for i in members)
            for g, members in b.groups.items()
            if len(members) > 1
        },
        "forms": {"key": keys, **looser},
        "vendors": sorted(VENDORS),
        "fillers": sorted(FILLERS),
        "blocked": sorted(BLOCKED - UNBLOCK_CURATED),
        "english": sorted(english),
    }


def write_knowledge(doc: dict[str, object], out: Path) -> None:
    """Deterministic bytes (see `dump_knowledge`), written atomically."""
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(dump_knowledge(doc))
    tmp.replace(out)


def build(source: Path, aliases: Path) -> tuple[dict[str, object], Builder]:
    """Everything, in a fixed order."""
    esco_dir = source / "esco"
    english = english_words(esco_dir)
    b = Builder(english)
    add_curated(b, aliases)
    add_linguist(b, source / "languages.yml", english)
    add_esco(b, esco_dir, english)
    add_onet(b, source / "onet" / "Technology Skills.txt", english)
    add_reviewed_links(b, b.index())
    return document(b, english), b


def main(argv: list[str] | None = None) -> int:
    """Command line: build and write the knowledge base, print a short summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default="../shared/data/skills", type=Path)
    parser.add_argument("--aliases", default=REPO / "gigmatch/data/aliases.toml", type=Path)
    parser.add_argument("--out", default=REPO / "gigmatch/data" / FILE_NAME, type=Path)
    args = parser.parse_args(argv)
    for needed in ("esco/skills_en.csv", "onet/Technology Skills.txt", "languages.yml"):
        if not (args.source / needed).is_file():
            print(f"build_skill_kb: {args.source / needed} not found", file=sys.stderr)
            return 2
    doc, b = build(args.source, args.aliases)
    write_knowledge(doc, args.out)
    sources = Counter(s for c in b.concepts for s in c.sources)
    print(
        f"{len(b.concepts)} concepts ({dict(sorted(sources.items()))}), "
        f"{len(b.claims['key'])} keys, {len(b.groups)} substitute groups "
        f"-> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
