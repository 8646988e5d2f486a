Attribute VB_Name = "ClusterBookFlags"
' ClusterBook: the Refresh flags button.
'
' Import this module into a workbook that holds round data (Alt+F11, File > Import File),
' tick Tools > References > xlwings, then draw a button (Developer > Insert > Button) and
' assign it the macro RefreshFlags. The xlwings add-in must be set up once with
' "clusterbook excel setup"; see docs/excel-addin.md.
Option Explicit

' Flags every cluster of this book's round data (a sheet with the columns Province,
' District, Cluster code, Round, PCA coverage and Refusal rate) and writes each cluster's
' status in the last round to the sheet "Flags", highest priority first.
Public Sub RefreshFlags()
    RunPython "import clusterbook.macros; clusterbook.macros.refresh_flags()"
End Sub
