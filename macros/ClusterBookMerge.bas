Attribute VB_Name = "ClusterBookMerge"
' ClusterBook: the Merge the submissions in a folder button.
'
' Import this module into the campaign data book saved as .xlsm (Alt+F11, File > Import
' File), tick Tools > References > xlwings, then draw a button (Developer > Insert > Button)
' and assign it the macro MergeSubmissions. The xlwings add-in must be set up once with
' "clusterbook excel setup"; see docs/excel-addin.md.
Option Explicit

' Asks for the folder of district submissions, merges every microplan and action plan in it
' into review-book.xlsx beside the folder (an existing review book keeps its reviewers'
' feedback) and opens it. The data book, as last saved, tells which clusters are expected.
Public Sub MergeSubmissions()
    RunPython "import clusterbook.macros; clusterbook.macros.merge_submissions()"
End Sub
