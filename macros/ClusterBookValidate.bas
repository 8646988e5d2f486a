Attribute VB_Name = "ClusterBookValidate"
' ClusterBook: the Validate this microplan button.
'
' Import this module into a filled microplan (or action plan) saved as .xlsm (Alt+F11,
' File > Import File), tick Tools > References > xlwings, then draw a button (Developer >
' Insert > Button) and assign it the macro ValidateThisMicroplan. The xlwings add-in must be
' set up once with "clusterbook excel setup"; see docs/excel-addin.md.
Option Explicit

' Checks this workbook as "clusterbook validate" checks a file (what it holds now, saved or
' not), lists every problem on the sheet "Validation" with a link to its cell, and
' highlights the cells: red for errors, amber for warnings. Press it again after correcting:
' the list is rewritten and the cells get their fill back. Nothing else in the book changes.
Public Sub ValidateThisMicroplan()
    RunPython "import clusterbook.macros; clusterbook.macros.validate_microplan()"
End Sub
