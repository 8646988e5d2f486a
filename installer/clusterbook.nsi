; ClusterBook for Windows: a per-user installer that needs no administrator rights.
;
; Compiled by installer/build.py, which lays out the payload first:
;   makensis -DVERSION=0.1.0 -DPAYLOAD=<payload> -DOUTFILE=<setup.exe> -DPYTHON_DLL=python312.dll \
;            -DWIZARD_BITMAP=<164 x 314 .bmp> clusterbook.nsi
;
; Everything it writes is the current user's own:
;   $LOCALAPPDATA\Programs\ClusterBook     the program (Python, libraries, ClusterBook)
;   $SMPROGRAMS\ClusterBook.lnk            Start-menu shortcut (inside $APPDATA)
;   HKCU ...\Uninstall\ClusterBook         the entry in Settings > Apps
; and, through clusterbook_setup.py run by the bundled Python:
;   HKCU ...\Office\16.0\Excel\Options     OPEN<n> = $INSTDIR\ClusterBook.xlam, the add-in
;                                          (the user's Excel add-ins, as Excel's dialog writes)
;   $DOCUMENTS\ClusterBook templates        the blank templates
; A user's own xlwings add-in (XLSTART) and xlwings.conf are never touched.
; The uninstaller removes all of it, except templates the user has changed.

Unicode true
Target amd64-unicode
RequestExecutionLevel user
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef VERSION | PAYLOAD | OUTFILE | PYTHON_DLL | WIZARD_BITMAP
  !error "Give -DVERSION=, -DPAYLOAD=, -DOUTFILE=, -DPYTHON_DLL= and -DWIZARD_BITMAP= \
(installer/build.py does)."
!endif

!define APP "ClusterBook"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ClusterBook"
!define UNINSTALLER "Uninstall ClusterBook.exe"
!define SHORTCUT "$SMPROGRAMS\ClusterBook.lnk"
!define PYTHON "$INSTDIR\python\python.exe"
!define PYTHONW "$INSTDIR\python\pythonw.exe"
!define TEMPLATES "$DOCUMENTS\ClusterBook templates"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\ClusterBook"
; An upgrade goes where the last install went (an IT deployment may have used /D=).
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} setup (per user, no administrator rights)"
VIAddVersionKey "LegalCopyright" "ClusterBook contributors, BSD-3-Clause"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh

!define MUI_WELCOMEFINISHPAGE_BITMAP "${WIZARD_BITMAP}"
!define MUI_UNWELCOMEFINISHPAGE_BITMAP "${WIZARD_BITMAP}"
!define MUI_ICON "${PAYLOAD}\clusterbook.ico"
!define MUI_UNICON "${PAYLOAD}\clusterbook.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "Install ${APP} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APP} adds the ClusterBook launcher, the blank templates and \
the =CLUSTER_STATUS() formulas to Excel.$\r$\n$\r$\nIt installs for you only and does not \
need administrator rights. It brings its own copy of Python; nothing else on this computer \
changes.$\r$\n$\r$\nClose Excel before you continue."
!define MUI_FINISHPAGE_TITLE "${APP} is ready"
!define MUI_FINISHPAGE_TEXT "Open ${APP} from the Start menu. The blank templates are in \
Documents\ClusterBook templates. Excel shows the ClusterBook tab the next time it starts."
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION StartLauncher
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP} now"
!define MUI_FINISHPAGE_SHOWREADME "${TEMPLATES}"
!define MUI_FINISHPAGE_SHOWREADME_TEXT "Open the blank templates folder"
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED

Function StartLauncher
  SetOutPath "$DOCUMENTS"
  Exec '"${PYTHONW}" "$INSTDIR\clusterbook-launcher.pyw"'
FunctionEnd

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Excel rewrites its list of add-ins when it closes (it would drop or keep a stale entry), and
; its open books would keep using the old add-in: installing and uninstalling wait until Excel
; is closed. Silent (/S), there is nobody to ask: the setup stops with exit code 3 and says why
; in %TEMP%\ClusterBook-setup.log.
!macro WaitUntilExcelIsClosed WHAT
  ${Do}
    FindWindow $R8 "XLMAIN"
    ${If} $R8 == 0
      ${Break}
    ${EndIf}
    ${If} ${Silent}
      FileOpen $R7 "$TEMP\ClusterBook-setup.log" a
      FileSeek $R7 0 END
      FileWrite $R7 "ClusterBook ${VERSION}: Excel is open, so ${WHAT} did not start. Close every \
Excel window, then run it again.$\r$\n"
      FileClose $R7
      SetErrorLevel 3
      Quit
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "Excel is open.$\r$\n$\r$\nSave your work, close \
every Excel window, then click Retry." IDRETRY excel_check_again
    Abort "Excel is open: ${WHAT} did not start."
    excel_check_again:
  ${Loop}
!macroend

; Excel keeps ClusterBook's Python running while a book uses its formulas, and Windows will
; not replace or delete a DLL that is in use: opening the interpreter's DLL for writing fails.
!macro WaitUntilPythonIsFree
  ${Do}
    ${IfNot} ${FileExists} "$INSTDIR\python\${PYTHON_DLL}"
      ${Break}
    ${EndIf}
    ClearErrors
    FileOpen $R9 "$INSTDIR\python\${PYTHON_DLL}" a
    ${IfNot} ${Errors}
      FileClose $R9
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "Excel or the ClusterBook launcher is still \
using ClusterBook.$\r$\n$\r$\nClose Excel and the launcher, then click Retry." /SD IDCANCEL \
      IDRETRY python_check_again
    Abort "Excel or the ClusterBook launcher is still running."
    python_check_again:
  ${Loop}
!macroend

Section "ClusterBook" SecMain
  SetShellVarContext current
  !insertmacro WaitUntilExcelIsClosed "the installation"
  !insertmacro WaitUntilPythonIsFree

  ; An upgrade replaces the whole runtime, so no module of an older version lingers.
  RMDir /r "$INSTDIR\python"
  SetOutPath "$INSTDIR"
  ; Thousands of small files: name them in the status line only, which keeps the copy fast.
  DetailPrint "Copying ClusterBook and its own Python..."
  SetDetailsPrint textonly
  File /r "${PAYLOAD}\python"
  SetDetailsPrint both
  File "${PAYLOAD}\clusterbook-launcher.pyw"
  File "${PAYLOAD}\clusterbook_setup.py"
  File "${PAYLOAD}\clusterbook.ico"
  File "${PAYLOAD}\ClusterBook.xlam"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; The shortcut starts in Documents, where officers keep their books.
  SetOutPath "$DOCUMENTS"
  CreateShortCut "${SHORTCUT}" "${PYTHONW}" '"$INSTDIR\clusterbook-launcher.pyw"' \
    "$INSTDIR\clusterbook.ico" 0 SW_SHOWNORMAL "" "ClusterBook: flags, forms and review books"
  SetOutPath "$INSTDIR"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\clusterbook.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0

  DetailPrint "Setting up Excel and the blank templates (this takes a minute)..."
  nsExec::ExecToLog '"${PYTHON}" "$INSTDIR\clusterbook_setup.py" install --documents "$DOCUMENTS"'
  Pop $0
  ${If} $0 != 0
    DetailPrint "Excel and template setup did not finish ($0)."
    MessageBox MB_OK|MB_ICONEXCLAMATION "ClusterBook is installed, but setting up Excel or \
the blank templates did not finish.$\r$\n$\r$\nThe details are in $INSTDIR\setup.log. \
Running this installer again repeats the setup." /SD IDOK
    SetErrorLevel 2
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  !insertmacro WaitUntilExcelIsClosed "the removal"
  !insertmacro WaitUntilPythonIsFree

  ${If} ${FileExists} "${PYTHON}"
    DetailPrint "Taking the add-in out of Excel and removing the unchanged blank templates..."
    nsExec::ExecToLog '"${PYTHON}" "$INSTDIR\clusterbook_setup.py" uninstall'
    Pop $0
  ${EndIf}

  Delete "${SHORTCUT}"
  RMDir /r "$INSTDIR\python"
  Delete "$INSTDIR\clusterbook-launcher.pyw"
  Delete "$INSTDIR\clusterbook_setup.py"
  Delete "$INSTDIR\clusterbook.ico"
  Delete "$INSTDIR\ClusterBook.xlam"
  Delete "$INSTDIR\install-record.json"
  Delete "$INSTDIR\install-record.tmp"
  Delete "$INSTDIR\setup.log"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
