Attribute VB_Name = "ClusterBookRibbon"
' ClusterBook: the buttons of the ClusterBook tab on Excel's ribbon.
'
' This module is part of the ClusterBook add-in (ClusterBook.xlam), built by
' "clusterbook excel addin"; nothing is imported into the workbooks. Every button acts on
' the active workbook. Pressed on the wrong kind of book, a button says so in a message box
' and changes nothing. RunPython and GetConfig are the add-in's xlwings runtime.
Option Explicit

Private Const MESSAGE_TITLE As String = "ClusterBook"
Private Const FORM_SHEET As String = "_clusterbook"

' Refresh flags: flags every cluster of the active book's round data (a sheet with the
' columns Province, District, Cluster code, Round, PCA coverage and Refusal rate) and writes
' each cluster's status in the last round to the sheet "Flags".
Public Sub OnRefreshFlags(control As IRibbonControl)
    Dim formId As String
    If Not HasActiveBook("Refresh flags") Then Exit Sub
    formId = FormOf(ActiveWorkbook)
    If formId <> "" And formId <> "campaign-databook" Then
        MsgBox "'" & ActiveWorkbook.Name & "' is a " & FormName(formId) & ". Refresh flags " & _
            "works on a book of round data (a sheet with the columns Cluster code, Round, " & _
            "PCA coverage and Refusal rate), such as the campaign data book. Open that book " & _
            "and press Refresh flags again.", vbExclamation, MESSAGE_TITLE
        Exit Sub
    End If
    RunPython "import clusterbook.macros; clusterbook.macros.refresh_flags()"
End Sub

' Validate this microplan: checks the active book as "clusterbook validate" checks a file,
' lists every problem on the sheet "Validation" and highlights the cells.
Public Sub OnValidate(control As IRibbonControl)
    If Not HasActiveBook("Validate this microplan") Then Exit Sub
    If FormOf(ActiveWorkbook) = "" Then
        MsgBox "'" & ActiveWorkbook.Name & "' is not a ClusterBook form. Validate this " & _
            "microplan checks a microplan or an action plan filled in from the ClusterBook " & _
            "templates (Documents\ClusterBook templates). Open the filled form and press " & _
            "Validate this microplan again.", vbExclamation, MESSAGE_TITLE
        Exit Sub
    End If
    RunPython "import clusterbook.macros; clusterbook.macros.validate_microplan()"
End Sub

' Merge the submissions in a folder: asks for the folder of district submissions and merges
' them into review-book.xlsx beside it. Pressed in the campaign data book, the review book
' knows which clusters are expected.
Public Sub OnMerge(control As IRibbonControl)
    Dim formId As String
    If Not HasActiveBook("Merge the submissions in a folder") Then Exit Sub
    formId = FormOf(ActiveWorkbook)
    If formId <> "" And formId <> "campaign-databook" Then
        MsgBox "'" & ActiveWorkbook.Name & "' is a " & FormName(formId) & ", one of the " & _
            "submissions. Press Merge the submissions in a folder in the campaign data book " & _
            "(or in a new blank workbook); it then asks for the folder of submissions.", _
            vbExclamation, MESSAGE_TITLE
        Exit Sub
    End If
    RunPython "import clusterbook.macros; clusterbook.macros.merge_submissions()"
End Sub

' Open the launcher: starts the ClusterBook launcher with the add-in's own Python.
Public Sub OnOpenLauncher(control As IRibbonControl)
    Dim interpreter As String
    interpreter = GetConfig("INTERPRETER_WIN", "pythonw")
    On Error GoTo failed
    Shell """" & interpreter & """ -m clusterbook launcher", vbNormalFocus
    Exit Sub
failed:
    MsgBox "The ClusterBook launcher could not be started with " & interpreter & ": " & _
        Err.Description, vbExclamation, MESSAGE_TITLE
End Sub

' Help: what the tab and the worksheet functions do, and where the guide is.
Public Sub OnHelp(control As IRibbonControl)
    MsgBox "ClusterBook " & CLUSTERBOOK_VERSION & vbCrLf & vbCrLf & _
        "Worksheet functions, in any workbook: CLUSTER_STATUS, CLUSTER_FLAGS, " & _
        "PCA_BENCHMARK, MICROPLAN_CHECK, CCPM_SCORE, CCPM_STATUS. Type =CLUSTER_STATUS( " & _
        "in a cell and press Ctrl+Shift+A to see its arguments." & vbCrLf & vbCrLf & _
        "Refresh flags: the Flags sheet of a book of round data." & vbCrLf & _
        "Validate this microplan: the Validation sheet of a filled microplan or action plan." & _
        vbCrLf & "Merge the submissions in a folder: a review book of the district submissions." & _
        vbCrLf & "Open the launcher: ClusterBook's own window." & vbCrLf & vbCrLf & _
        "A function or button that fails says why in its cell or in a message. The guide " & _
        "(Excel add-in, and what to do when something does not work) is in ClusterBook's " & _
        "docs folder: excel-addin.md and excel-troubleshooting.md.", _
        vbInformation, MESSAGE_TITLE
End Sub

' True when a workbook is open and in front; otherwise says what to do.
Private Function HasActiveBook(buttonName As String) As Boolean
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open a workbook first: " & buttonName & " works on the workbook in front.", _
            vbExclamation, MESSAGE_TITLE
        Exit Function
    End If
    HasActiveBook = True
End Function

' The form a ClusterBook template records in its hidden sheet ("" for any other book).
Private Function FormOf(book As Workbook) As String
    Dim candidate As Worksheet
    For Each candidate In book.Worksheets
        If candidate.Name = FORM_SHEET Then
            If Not IsError(candidate.Range("B1").Value) Then
                FormOf = candidate.Range("B1").Value & ""
            End If
            Exit Function
        End If
    Next candidate
End Function

' What an officer calls a form.
Private Function FormName(formId As String) As String
    Select Case formId
        Case "cesm-microplan": FormName = "microplan"
        Case "lpc-action-plan": FormName = "action plan"
        Case "campaign-databook": FormName = "campaign data book"
        Case "ccpm": FormName = "CCPM questionnaire"
        Case "ccpm-report": FormName = "CCPM report"
        Case Else: FormName = "ClusterBook form (" & formId & ")"
    End Select
End Function
