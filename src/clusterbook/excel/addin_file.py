r"""The ClusterBook add-in, ``ClusterBook.xlam``: worksheet functions and a ribbon tab in every
workbook, with nothing to import or set per workbook.

:func:`build_addin` writes the add-in from the sources, on any system (``clusterbook excel
addin --out PATH.xlam``; the installer's build runs the same). It is xlwings' custom add-in
pattern (what ``xlwings quickstart --addin --ribbon`` makes), written without Excel:

- ``ClusterBookFunctions``: a VBA wrapper per worksheet function of ``clusterbook.udfs``, as
  xlwings' own generator writes them for an add-in;
- ``ClusterBookXlwings``: xlwings' runtime for custom add-ins (``xlwings_custom_addin.bas``
  of the installed xlwings, whose DLL version it names) with ``PROJECT_NAME = "clusterbook"``:
  it takes its settings from the add-in's own sheet ``clusterbook.conf`` (then from a
  ``clusterbook.conf`` file beside the workbook or in ``%USERPROFILE%\.clusterbook``), never
  from xlwings' settings, so the user's xlwings.conf is neither read nor changed; a setting
  may start with ``{ADDIN_FOLDER}``, the add-in's own folder;
- ``ClusterBookRibbon``: the ribbon's buttons (``macros/ClusterBookRibbon.bas``);
- ``ThisWorkbook``: gives each function its help in Excel's Insert Function dialog when the
  add-in opens.

The VBA project is generated (:mod:`clusterbook.excel.ovba`) and holds source only: Excel
compiles it when it loads the add-in.
"""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from xml.sax.saxutils import escape

from clusterbook import __version__
from clusterbook.domain.errors import ClusterBookError, InputError
from clusterbook.excel.ovba import WORKBOOK_BASE, WORKSHEET_BASE, Module, vba_project
from clusterbook.excel.udf_wrappers import UDF_MODULE, FunctionHelp, wrappers
from clusterbook.excel.vba_names import reserved_declarations
from clusterbook.excel.write import atomic_path

PROJECT_NAME: Final = "ClusterBook"
SETTINGS_NAME: Final = "clusterbook"
SETTINGS_SHEET: Final = f"{SETTINGS_NAME}.conf"
ADDIN_FOLDER: Final = "{ADDIN_FOLDER}"
#: Where the installer puts the add-in's Python: beside the add-in, in 'python'.
INSTALLED_INTERPRETER: Final = ADDIN_FOLDER + r"\python\pythonw.exe"
FUNCTIONS_MODULE: Final = "ClusterBookFunctions"
RUNTIME_MODULE: Final = "ClusterBookXlwings"
RIBBON_MODULE: Final = "ClusterBookRibbon"
SETTINGS_CODE_NAME: Final = "Sheet1"
#: The ribbon's buttons: id, label, callback in the ribbon module, built-in image, tip.
BUTTONS: Final = (
    ("RefreshFlags", "Refresh flags", "OnRefreshFlags", "Refresh",
     "Flag every cluster of this book's round data on the sheet Flags."),
    ("ValidateMicroplan", "Validate this microplan", "OnValidate", "DataValidation",
     "List the problems of this microplan or action plan on the sheet Validation."),
    ("MergeFolder", "Merge the submissions in a folder", "OnMerge", "FileOpen",
     "Merge the district submissions in a folder into a review book."),
    ("OpenLauncher", "Open the launcher", "OnOpenLauncher", "MacroPlay",
     "Start the ClusterBook launcher."),
    ("ClusterBookHelp", "Help", "OnHelp", "Help",
     "What the functions and buttons do, and where the guide is."),
)
RIBBON_PART: Final = "customUI/customUI14.xml"
_RIBBON_NS: Final = "http://schemas.microsoft.com/office/2009/07/customui"


@dataclass(frozen=True)
class AddinSettings:
    """The add-in's own settings (its sheet ``clusterbook.conf``)."""

    interpreter: str = INSTALLED_INTERPRETER
    pythonpath: str = ""

    def rows(self) -> list[tuple[str, str]]:
        rows = [("INTERPRETER_WIN", self.interpreter), ("UDF MODULES", UDF_MODULE),
                # The workbook's folder stays off Python's path: a file there named like a
                # module (pandas.py) must not replace ClusterBook's own.
                ("ADD_WORKBOOK_TO_PYTHONPATH", "false")]
        return rows + ([("PYTHONPATH", self.pythonpath)] if self.pythonpath else [])


def default_interpreter(platform: str | None = None) -> str:
    """On Windows, the windowless Python beside this one; elsewhere (building the installer)
    the installed layout's."""
    if (platform or sys.platform).startswith("win"):
        windowless = Path(sys.executable).with_name("pythonw.exe")
        return str(windowless if windowless.exists() else Path(sys.executable))
    return INSTALLED_INTERPRETER


# -- the VBA modules ---------------------------------------------------------------------------

def xlwings_folder() -> Path:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise ClusterBookError("the xlwings package is not installed; reinstall ClusterBook")
    return Path(spec.origin).parent


#: What changes in xlwings' custom add-in runtime: (what it says, what the add-in says).
RUNTIME_CHANGES: Final = (
    ('Attribute VB_Name = "xlwings"\n', ""),
    ('Public Const PROJECT_NAME As String = "myaddin"',
     f'Public Const PROJECT_NAME As String = "{SETTINGS_NAME}"'),
    ("GetConfig = GetConfigFromSheet(ThisWorkbook).Item(configKey)\n",
     "GetConfig = GetConfigFromSheet(ThisWorkbook).Item(configKey)\n"
     f'                    GetConfig = Replace(GetConfig, "{ADDIN_FOLDER}", ThisWorkbook.Path)\n'),
)


def runtime_source() -> str:
    """xlwings' custom add-in runtime, with the add-in's settings (see RUNTIME_CHANGES)."""
    path = xlwings_folder() / "xlwings_custom_addin.bas"
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except OSError:
        raise ClusterBookError(f"the xlwings package has no custom add-in code at {path}; "
                               f"reinstall ClusterBook") from None
    for old, new in RUNTIME_CHANGES:
        if text.count(old) != 1:
            raise ClusterBookError(f"this xlwings version's custom add-in code ({path}) no "
                                   f"longer holds '{old.strip()}' once; ClusterBook cannot "
                                   f"make its add-in with it")
        text = text.replace(old, new)
    return text


def functions_source(wrapped: str) -> str:
    """The worksheet functions' module: xlwings' header for generated wrappers, the version,
    then the wrappers."""
    return "\n".join([
        "'Worksheet functions of ClusterBook, written by xlwings' generator.",
        '#Const App = "Microsoft Excel"',
        f'Public Const CLUSTERBOOK_VERSION As String = "{__version__}"',
        "", wrapped])


def _vba_string(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', '""') + '"'


def workbook_source(functions: list[FunctionHelp]) -> str:
    """ThisWorkbook: each function's help for the Insert Function dialog, when Excel opens
    the add-in."""
    lines = ["Option Explicit", "",
             "' Lists the worksheet functions under 'ClusterBook' in the Insert Function "
             "dialog, with help.",
             "Private Sub Workbook_Open()",
             "    On Error Resume Next  ' the help is a comfort, never a reason to stop"]
    for function in functions:
        parts = [_vba_string(function.name), _vba_string(function.description),
                 *map(_vba_string, function.arguments)]
        lines.append("    Describe " + ", _\n        ".join(parts))
    lines += ["End Sub", "",
              "Private Sub Describe(functionName As String, description As String, "
              "ParamArray arguments() As Variant)",
              "    Dim argumentHelp As Variant",
              "    argumentHelp = arguments",
              "    Application.MacroOptions Macro:=functionName, Description:=description, _",
              '        Category:="ClusterBook", ArgumentDescriptions:=argumentHelp',
              "End Sub"]
    return "\n".join(lines)


def macros_folder() -> Path | None:
    """Where the add-in's VBA modules (.bas) are: inside the installed package, or the
    'macros' folder of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for folder in (package / "macros_vba", package.parents[1] / "macros"):
        if folder.is_dir() and any(folder.glob("*.bas")):
            return folder
    return None


def ribbon_source() -> str:
    """The ribbon's callbacks, as kept in the macros folder."""
    folder = macros_folder()
    if folder is None:
        raise ClusterBookError("the add-in's VBA modules (macros folder) are missing; "
                               "reinstall ClusterBook")
    text = (folder / f"{RIBBON_MODULE}.bas").read_text(encoding="ascii")
    return "\n".join(line for line in text.splitlines()
                     if not line.startswith("Attribute VB_Name"))


def addin_modules() -> list[Module]:
    """The modules of the add-in's VBA project, in the order the project lists them."""
    generated = wrappers()
    modules = [
        Module("ThisWorkbook", workbook_source(generated.functions), "document", WORKBOOK_BASE),
        Module(SETTINGS_CODE_NAME, "Option Explicit", "document", WORKSHEET_BASE),
        Module(FUNCTIONS_MODULE, functions_source(generated.vba)),
        Module(RIBBON_MODULE, ribbon_source()),
        Module(RUNTIME_MODULE, runtime_source()),
    ]
    for module in modules:
        refused = reserved_declarations(module.source)
        if refused:
            names = ", ".join(f"'{item.name}' ({item.role}, line {item.line})"
                              for item in refused)
            raise ClusterBookError(f"the add-in's module {module.name} declares names VBA "
                                   f"reserves: {names}; rename them")
    return modules


# -- the package --------------------------------------------------------------------------------

_XML: Final = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def ribbon_xml() -> str:
    """The ClusterBook tab: one group of buttons acting on the active workbook."""
    buttons = "\n".join(
        f'          <button id="{key}" label="{escape(label)}" size="large" '
        f'imageMso="{image}" onAction="{RIBBON_MODULE}.{callback}" '
        f'screentip="{escape(label)}" supertip="{escape(tip)}"/>'
        for key, label, callback, image, tip in BUTTONS)
    return (f'{_XML}<customUI xmlns="{_RIBBON_NS}">\n  <ribbon>\n    <tabs>\n'
            f'      <tab id="ClusterBookTab" label="ClusterBook">\n'
            f'        <group id="ClusterBookButtons" label="This workbook">\n{buttons}\n'
            f'        </group>\n      </tab>\n    </tabs>\n  </ribbon>\n</customUI>\n')


def _settings_sheet(rows: list[tuple[str, str]]) -> tuple[str, str]:
    """The settings sheet and its shared strings (keys in A, values in B)."""
    strings = [text for row in rows for text in row]
    cells = "".join(
        f'<row r="{number}"><c r="A{number}" t="s"><v>{2 * index}</v></c>'
        f'<c r="B{number}" t="s"><v>{2 * index + 1}</v></c></row>'
        for index, number in enumerate(range(1, len(rows) + 1)))
    sheet = (f'{_XML}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
             f'<sheetPr codeName="{SETTINGS_CODE_NAME}"/><dimension ref="A1:B{len(rows)}"/>'
             f'<cols><col min="1" max="1" width="30" customWidth="1"/>'
             f'<col min="2" max="2" width="60" customWidth="1"/></cols>'
             f'<sheetData>{cells}</sheetData></worksheet>')
    shared = (f'{_XML}<sst xmlns="{_MAIN_NS}" count="{len(strings)}" '
              f'uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings) + "</sst>")
    return sheet, shared


def theme_xml() -> bytes:
    """Office's default theme, as xlwings' own add-in pattern carries it."""
    with zipfile.ZipFile(xlwings_folder() / "quickstart_addin_ribbon.xlam") as pattern:
        return pattern.read("xl/theme/theme1.xml")


def package_parts(vba: bytes, settings: AddinSettings) -> Mapping[str, bytes | str]:
    """Every part of the .xlam package, by name."""
    xml_type = "application/vnd.openxmlformats-officedocument"
    sheet, shared = _settings_sheet(settings.rows())
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.ms-excel.addin.macroEnabled.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{xml_type}.'
            'spreadsheetml.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{xml_type}.spreadsheetml.'
            'styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{xml_type}.'
            'spreadsheetml.sharedStrings+xml"/>'
            f'<Override PartName="/xl/theme/theme1.xml" ContentType="{xml_type}.theme+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
            'openxmlformats-package.core-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PACKAGE_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_OFFICE_DOC}/officeDocument" '
            'Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2007/'
            f'relationships/ui/extensibility" Target="{RIBBON_PART}"/></Relationships>'),
        "docProps/core.xml": (
            f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:title>ClusterBook {__version__}</dc:title>'
            '<dc:creator>ClusterBook</dc:creator></cp:coreProperties>'),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            '<workbookPr codeName="ThisWorkbook"/>'
            '<bookViews><workbookView visibility="hidden"/></bookViews>'
            f'<sheets><sheet name="{SETTINGS_SHEET}" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PACKAGE_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_OFFICE_DOC}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_OFFICE_DOC}/styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="vbaProject.bin"/>'
            f'<Relationship Id="rId4" Type="{_OFFICE_DOC}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId5" Type="{_OFFICE_DOC}/theme" Target="theme/theme1.xml"/>'
            '</Relationships>'),
        "xl/styles.xml": (
            f'{_XML}<styleSheet xmlns="{_MAIN_NS}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
        "xl/theme/theme1.xml": theme_xml(),
        "xl/vbaProject.bin": vba,
        RIBBON_PART: ribbon_xml(),
    }


def build_addin(out: Path, settings: AddinSettings | None = None) -> Path:
    """Write ClusterBook.xlam to ``out`` (atomically) and return its path."""
    if out.suffix.lower() != ".xlam":
        raise InputError(f"{out.name}: an Excel add-in's file name ends in .xlam")
    settings = settings or AddinSettings(default_interpreter())
    parts = package_parts(vba_project(PROJECT_NAME, addin_modules()), settings)
    with atomic_path(out) as temporary, zipfile.ZipFile(temporary, "w",
                                                        zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    return out
