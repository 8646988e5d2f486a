"""ClusterBook.xlam as `clusterbook excel addin` writes it, read back by independent readers:
oletools' olevba and olefile (the VBA project), LibreOffice (opens it and imports the
modules), openxml-audit (the package), python-calamine (the settings sheet)."""

from __future__ import annotations

import difflib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
from oletools.olevba import VBA_Parser, decompress_stream
from python_calamine import CalamineWorkbook

import clusterbook
import clusterbook.udfs
from clusterbook.domain.errors import ClusterBookError
from clusterbook.excel import addin_file, ovba
from clusterbook.excel.addin_file import BUTTONS, INSTALLED_INTERPRETER, RIBBON_PART
from clusterbook.excel.udf_wrappers import wrappers
from clusterbook.excel.vba_names import declared_names, reserved_declarations
from conftest import require_program

ROOT = Path(clusterbook.__file__).parents[2]
SRC = ROOT / "src"
SIX = {"CLUSTER_STATUS", "CLUSTER_FLAGS", "PCA_BENCHMARK", "MICROPLAN_CHECK", "CCPM_SCORE",
       "CCPM_STATUS"}
MODULES = ["ThisWorkbook", "Sheet1", "ClusterBookFunctions", "ClusterBookRibbon",
           "ClusterBookXlwings"]
XLWINGS = Path(addin_file.xlwings_folder())
RIBBON_NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}


def build(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clusterbook", "excel", "addin", "--out",
                           str(out), *extra], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(SRC)}, check=False)


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "ClusterBook.xlam"
    result = build(out)
    assert result.returncode == 0, result.stderr
    assert INSTALLED_INTERPRETER in result.stdout
    return out


@pytest.fixture(scope="module")
def extracted(addin: Path) -> dict[str, str]:
    """Module name -> source, as olevba reads them from the add-in."""
    parser = VBA_Parser(str(addin))
    try:
        assert parser.detect_vba_macros()
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def procedures(source: str, kind: str) -> dict[str, list[str]]:
    """Public procedures of a kind ('Function', 'Sub') and their argument names."""
    found = {}
    for item in declared_names(source):
        if item.role == "procedure":
            current = found.setdefault(item.name, [])
        elif item.role == "argument":
            current.append(item.name)
    declared = re.findall(rf"^(?:Public )?{kind} (\w+)\(", source, re.MULTILINE)
    return {name: found[name] for name in declared}


def test_olevba_reads_exactly_the_intended_modules(extracted):
    assert list(extracted) == MODULES
    intended = {module.name: module.text() for module in addin_file.addin_modules()}
    assert extracted == intended


def test_a_wrapper_for_each_worksheet_function_as_xlwings_writes_it(extracted):
    functions = procedures(extracted["ClusterBookFunctions"], "Function")
    assert set(functions) == SIX == set(clusterbook.udfs.__all__)
    assert functions["CCPM_SCORE"] == ["answers", "answer_scale"]
    assert functions["CLUSTER_STATUS"][:2] == ["pca", "refusals"]
    # xlwings' generator, told the book is an add-in, passes the active workbook.
    code = extracted["ClusterBookFunctions"]
    assert code.count(", ActiveWorkbook, Application.Caller)") == 6
    assert wrappers().vba.replace("\n", "\r\n") in code
    assert '#Const App = "Microsoft Excel"' in code


def test_no_declared_name_is_one_vba_reserves(extracted):
    for name, code in extracted.items():
        assert reserved_declarations(code) == [], name


def test_the_reserved_name_check_fails_on_scale(tmp_path, monkeypatch):
    # A function with an argument named like the one CCPM_SCORE had: xlwings writes it as is.
    (tmp_path / "oldudfs.py").write_text(
        "import xlwings as xw\n\n@xw.func\ndef OLD_SCORE(answers, scale=None):\n"
        "    return 1\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(tmp_path), os.environ.get("PYTHONPATH", "")])))
    generated = wrappers("oldudfs").vba
    assert "Function OLD_SCORE(answers, Optional scale)" in generated
    refused = reserved_declarations(generated)
    assert [(item.name, item.role) for item in refused] == [("scale", "argument")]
    for source in ("Dim Date As String", "Public Sub Go(ByVal Len As Long)",
                   "Private Const Array = 1", "Function F(x, _\n    Optional string)"):
        assert reserved_declarations(source), source
    assert reserved_declarations("' Dim Date As String\nx = \"Dim Date\"") == []


def test_the_runtime_is_xlwings_custom_addin_code_with_its_own_settings(extracted):
    runtime = extracted["ClusterBookXlwings"]
    version = re.search(r"'Version: (\S+)", runtime)
    assert version and version.group(1) == metadata.version("xlwings")
    assert 'Public Const PROJECT_NAME As String = "clusterbook"' in runtime
    # Its settings: the add-in's sheet, a clusterbook.conf file, never xlwings.conf.
    assert 'Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & PROJECT_NAME & ".conf"' \
        in runtime
    assert '"xlwings.conf"' not in runtime and "\\.xlwings\\" not in runtime
    assert 'GetConfig = Replace(GetConfig, "{ADDIN_FOLDER}", ThisWorkbook.Path)' in runtime
    for needed in ("Function XLPy()", "Public Function RunPython(", "Function GetConfig("):
        assert needed in runtime
    original = (XLWINGS / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    changes = [line for line in difflib.ndiff(original.splitlines(), runtime.splitlines())
               if line[:1] in "+-"]
    assert [" ".join(line.split()) for line in changes] == [
        '- Attribute VB_Name = "xlwings"', '+ Attribute VB_Name = "ClusterBookXlwings"',
        '- Public Const PROJECT_NAME As String = "myaddin"',
        '+ Public Const PROJECT_NAME As String = "clusterbook"',
        '+ GetConfig = Replace(GetConfig, "{ADDIN_FOLDER}", ThisWorkbook.Path)']


def test_the_settings_sheet_names_the_python_and_the_functions(addin):
    book = CalamineWorkbook.from_path(str(addin))
    assert book.sheet_names == ["clusterbook.conf"]
    rows = {key: value for key, value in book.get_sheet_by_name("clusterbook.conf").to_python()}
    assert rows == {"INTERPRETER_WIN": INSTALLED_INTERPRETER, "UDF MODULES": "clusterbook.udfs",
                    "ADD_WORKBOOK_TO_PYTHONPATH": "false"}


def test_a_chosen_interpreter_and_pythonpath(tmp_path):
    out = tmp_path / "Mine.xlam"
    result = build(out, "--interpreter", r"C:\Py\pythonw.exe", "--pythonpath", r"C:\src")
    assert result.returncode == 0, result.stderr
    rows = dict(CalamineWorkbook.from_path(str(out)).get_sheet_by_name(
        "clusterbook.conf").to_python())
    assert rows["INTERPRETER_WIN"] == r"C:\Py\pythonw.exe" and rows["PYTHONPATH"] == r"C:\src"
    wrong = build(tmp_path / "Mine.xlsm")
    assert wrong.returncode != 0 and ".xlam" in wrong.stderr and "Traceback" not in wrong.stderr
    assert not (tmp_path / "Mine.xlsm").exists()


def test_the_ribbon_names_each_button_and_calls_a_macro_that_exists(addin, extracted):
    with zipfile.ZipFile(addin) as package:
        rels = package.read("_rels/.rels").decode()
        ribbon = ElementTree.fromstring(package.read(RIBBON_PART))
    assert f'Target="{RIBBON_PART}"' in rels and "2007/relationships/ui/extensibility" in rels
    tab = ribbon.find(".//ui:tab", RIBBON_NS)
    assert tab is not None and tab.get("label") == "ClusterBook"
    buttons = ribbon.findall(".//ui:button", RIBBON_NS)
    assert [button.get("label") for button in buttons] == [
        "Refresh flags", "Validate this microplan", "Merge the submissions in a folder",
        "Open the launcher", "Help"]
    subs = procedures(extracted["ClusterBookRibbon"], "Sub")
    for button in buttons:
        module, macro = button.get("onAction", "").split(".")
        assert module == "ClusterBookRibbon" and subs[macro] == ["control"], macro
        assert re.search(rf"Public Sub {macro}\(control As IRibbonControl\)",
                         extracted["ClusterBookRibbon"])
    assert len(BUTTONS) == len(buttons)


def test_buttons_check_the_form_and_call_their_python_targets(extracted):
    ribbon = extracted["ClusterBookRibbon"]
    for target in ("refresh_flags", "validate_microplan", "merge_submissions"):
        assert f'RunPython "import clusterbook.macros; clusterbook.macros.{target}()"' in ribbon
    # Every ClusterBook form has a name an officer knows in the wrong-form message.
    from clusterbook.forms import FORMS
    from clusterbook.forms.databook import DATABOOK

    known = set(re.findall(r'Case "([\w-]+)": FormName', ribbon))
    forms = {*FORMS, DATABOOK.form_id}
    assert forms <= known, forms - known
    assert ribbon.count("MsgBox") >= 5 and "is not a ClusterBook form" in ribbon


def test_the_vba_project_container_and_streams(addin):
    with zipfile.ZipFile(addin) as package:
        data = package.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    streams = sorted("/".join(path) for path in ole.listdir())
    assert streams == sorted(["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir",
                              *(f"VBA/{name}" for name in MODULES)])
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")
    project = ole.openstream("PROJECT").read().decode("cp1252")
    fields = dict(line.split("=", 1) for line in project.splitlines() if "=" in line
                  and not line.startswith("&H"))
    project_id = fields["ID"].strip('"')
    assert ovba.decrypt(project_id, fields["CMG"].strip('"')) == b"\0\0\0\0"
    assert ovba.decrypt(project_id, fields["DPB"].strip('"')) == b"\0"
    assert ovba.decrypt(project_id, fields["GC"].strip('"')) == b"\xff"
    assert re.findall(r"^(Document|Module)=(\w+)", project, re.MULTILINE) == [
        ("Document", "ThisWorkbook"), ("Document", "Sheet1"), ("Module", "ClusterBookFunctions"),
        ("Module", "ClusterBookRibbon"), ("Module", "ClusterBookXlwings")]
    directory = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    assert b"Office" in directory and b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in directory


def test_the_protection_fields_read_as_excel_writes_them():
    # The decryption checked on a project Excel wrote (xlwings' own add-in): not protected,
    # no password, visible; then our encryption read back with it, for every seed.
    with zipfile.ZipFile(XLWINGS / "quickstart_addin_ribbon.xlam") as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(re.findall(r'^(\w+)="([^"]*)"', text, re.MULTILINE))
    assert [ovba.decrypt(values["ID"], values[key]) for key in ("CMG", "DPB", "GC")] == [
        b"\0\0\0\0", b"\0", b"\xff"]
    for seed in range(256):
        assert ovba.decrypt(values["ID"], ovba.encrypt(values["ID"], b"\xff", seed)) == b"\xff"


@pytest.mark.parametrize("size", [0, 1, 3, 4095, 4096, 4097, 12289])
def test_compression_reads_back_with_oletools(size):
    generator = random.Random(size)
    text = bytes(generator.choice(b"Dim x As Long\r\n") for _ in range(size))
    for data in (text, b"ab" * size):
        assert bytes(decompress_stream(bytearray(ovba.compress(data)))) == data
    noise = bytes(generator.randrange(256) for _ in range(size - size % 4096))
    assert bytes(decompress_stream(bytearray(ovba.compress(noise)))) == noise  # stored chunks
    runtime = (XLWINGS / "xlwings_custom_addin.bas").read_bytes()
    assert len(ovba.compress(runtime)) < len(runtime) // 2


def test_openxml_audit_finds_nothing(addin):
    program = require_program("openxml-audit")
    result = subprocess.run([program, "--output", "json", str(addin)], capture_output=True,
                            text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (report,) = json.loads(result.stdout)
    assert report["valid"] and report["verdict"]["prediction"] == "opens-clean", report
    assert (report["error_count"], report["warning_count"]) == (0, 0), report


@pytest.mark.slow
def test_libreoffice_opens_it_and_lists_the_modules(addin, tmp_path):
    program = require_program("soffice")
    profile = tmp_path / "profile"
    # LibreOffice does not recognise the .xlam type by itself (nor xlwings' own add-in):
    # its filter for macro-enabled Excel books reads it.
    result = subprocess.run(
        [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods", "--outdir",
         str(tmp_path), str(addin)], capture_output=True, text=True, timeout=600, check=False)
    converted = tmp_path / "ClusterBook.ods"
    assert converted.is_file(), result.stdout + result.stderr
    with zipfile.ZipFile(converted) as package:
        names = package.namelist()
        modules = sorted(Path(name).stem for name in names
                         if name.startswith("Basic/ClusterBook/") and "script-" not in name)
        functions = package.read("Basic/ClusterBook/ClusterBookFunctions.xml").decode()
        content = package.read("content.xml").decode()
    assert modules == sorted(MODULES)
    for name in SIX:
        assert f"Function {name}(" in functions
    assert 'table:name="clusterbook.conf"' in content


def test_the_build_refuses_a_runtime_it_does_not_know(monkeypatch, tmp_path):
    changed = tmp_path / "xlwings"
    shutil.copytree(XLWINGS, changed, ignore=shutil.ignore_patterns("*.so", "*.dll", "js"))
    source = changed / "xlwings_custom_addin.bas"
    source.write_text(source.read_text(encoding="utf-8").replace('"myaddin"', '"other"'),
                      encoding="utf-8")
    monkeypatch.setattr(addin_file, "xlwings_folder", lambda: changed)
    with pytest.raises(ClusterBookError, match="PROJECT_NAME"):
        addin_file.runtime_source()


def test_the_templates_stay_xlsx_without_macros():
    for path in sorted((ROOT / "workbooks").glob("*")):
        assert path.suffix == ".xlsx", path.name
        with zipfile.ZipFile(path) as package:
            assert not any("vbaProject" in name for name in package.namelist()), path.name
