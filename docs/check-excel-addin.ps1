<#
ClusterBook's Excel add-in, checked in five minutes on a Windows PC with Excel (Click-to-Run).

What this checks is what cannot be checked without Excel: that Excel loads ClusterBook.xlam,
compiles its VBA, computes the worksheet functions in a new blank .xlsx book, and that the
installer leaves a user's own xlwings set-up and add-ins exactly as they were.

    powershell -ExecutionPolicy Bypass -File check-excel-addin.ps1 -Step before
    (run ClusterBook-Setup-<version>.exe)
    powershell -ExecutionPolicy Bypass -File check-excel-addin.ps1 -Step installed
    (look at the ribbon as the script says, close Excel, uninstall ClusterBook)
    powershell -ExecutionPolicy Bypass -File check-excel-addin.ps1 -Step uninstalled

Each step prints PASS or FAIL lines; send the whole output with your report.
#>
param([Parameter(Mandatory = $true)][ValidateSet("before", "installed", "uninstalled")]
      [string]$Step)

$ErrorActionPreference = "Stop"
$snapshot = Join-Path $env:TEMP "clusterbook-check-before.json"
$options = "HKCU:\Software\Microsoft\Office\16.0\Excel\Options"
$watched = @(
    (Join-Path $env:APPDATA "Microsoft\Excel\XLSTART\xlwings.xlam"),
    (Join-Path $env:USERPROFILE ".xlwings\xlwings.conf")
)
$script:failures = 0

function Report([bool]$ok, [string]$what) {
    if ($ok) { Write-Host "PASS  $what" } else { Write-Host "FAIL  $what"; $script:failures++ }
}

function State {
    # The user's own xlwings files (sha256, or "absent") and Excel's list of add-ins.
    $files = @{}
    foreach ($path in $watched) {
        if (Test-Path $path) { $files[$path] = (Get-FileHash $path -Algorithm SHA256).Hash }
        else { $files[$path] = "absent" }
    }
    $addins = @{}
    if (Test-Path $options) {
        $key = Get-ItemProperty $options
        foreach ($property in $key.PSObject.Properties) {
            if ($property.Name -match '^OPEN\d*$') { $addins[$property.Name] = $property.Value }
        }
    }
    return @{ files = $files; addins = $addins }
}

function Same-As-Before {
    $before = Get-Content $snapshot -Raw | ConvertFrom-Json
    $now = State
    foreach ($path in $watched) {
        Report ($before.files.$path -eq $now.files[$path]) "unchanged: $path ($($now.files[$path]))"
    }
    return @($before, $now)
}

if (Get-Process EXCEL -ErrorAction SilentlyContinue) {
    Write-Host "Close every Excel window first (Task Manager must show no EXCEL.EXE)."
    exit 2
}

if ($Step -eq "before") {
    State | ConvertTo-Json -Depth 4 | Set-Content $snapshot -Encoding UTF8
    Write-Host "Saved the state before installing to $snapshot"
    Write-Host "Now run ClusterBook-Setup-<version>.exe, then this script with -Step installed."
    exit 0
}

if ($Step -eq "uninstalled") {
    $pair = Same-As-Before
    $before, $now = $pair[0], $pair[1]
    $listed = ($now.addins.Values | Where-Object { $_ -like "*ClusterBook.xlam*" }).Count
    Report ($listed -eq 0) "ClusterBook.xlam is no longer in Excel's add-ins"
    $kept = ($before.addins.PSObject.Properties | ForEach-Object { $_.Value } | Sort-Object) -join "|"
    $left = ($now.addins.Values | Sort-Object) -join "|"
    Report ($kept -eq $left) "your other Excel add-ins are listed as before: $left"
    Write-Host "$script:failures failure(s)."
    exit [int]($script:failures -gt 0)
}

# -Step installed
$pair = Same-As-Before
$now = $pair[1]
$registered = $now.addins.GetEnumerator() | Where-Object { $_.Value -like "*ClusterBook.xlam*" }
Report ($null -ne $registered) "ClusterBook.xlam is in Excel's add-ins: $($registered.Value)"

# Excel started as a user starts it (Excel started by automation loads no add-ins).
Start-Process excel.exe "/e"
$excel = $null
foreach ($attempt in 1..60) {
    Start-Sleep -Seconds 1
    try { $excel = [Runtime.InteropServices.Marshal]::GetActiveObject("Excel.Application"); break }
    catch { }
}
if ($null -eq $excel) { Report $false "Excel started"; exit 1 }
Report (-not ($excel.Path -like "*WindowsApps*")) "Excel is not the Microsoft Store edition ($($excel.Path))"
$addin = $null
foreach ($item in $excel.AddIns2) { if ($item.Name -eq "ClusterBook.xlam") { $addin = $item } }
Report ($null -ne $addin -and $addin.Installed) "Excel loaded the ClusterBook add-in"

$book = $excel.Workbooks.Add()
$sheet = $book.Worksheets.Item(1)
$checks = @(
    @('=CLUSTER_STATUS({85,88,89,96,97,98},{0,0,0,0,0,0},90)', 'On track'),
    @('=CCPM_SCORE({"Yes","No","Yes","Yes"},"Yes/No")', '75'),
    @('=CCPM_STATUS(75)', 'Satisfactory'),
    @('=CCPM_SCORE({"Yes"},"Likert")', "answer_scale: 'Likert' is not a scale")
)
$row = 1
foreach ($check in $checks) { $sheet.Cells.Item($row, 1).Formula = $check[0]; $row++ }
$row = 1
foreach ($check in $checks) {
    $text = ""
    foreach ($attempt in 1..90) {  # the first call starts ClusterBook's Python
        $excel.Calculate()
        $text = [string]$sheet.Cells.Item($row, 1).Text
        if ($text -and $text -ne "0" -and $text -notlike "#*") { break }
        Start-Sleep -Seconds 1
    }
    Report ($text -like "$($check[1])*") "$($check[0]) shows '$text' in a new blank book"
    $row++
}
$book.Saved = $true

Write-Host ""
Write-Host "Now, by hand, in this Excel (two minutes):"
Write-Host " 1. The ribbon has a ClusterBook tab with Refresh flags, Validate this microplan,"
Write-Host "    Merge the submissions in a folder, Open the launcher and Help."
Write-Host " 2. In the blank book press Validate this microplan: a message says the book is not a"
Write-Host "    ClusterBook form."
Write-Host " 3. Open Documents\ClusterBook templates\cesm-microplan.xlsx (it stays .xlsx), type"
Write-Host "    '12ab' as a team member's phone, press Validate this microplan: a Validation sheet"
Write-Host "    lists the cell and the cell turns red."
Write-Host " 4. Press Help and Open the launcher: a message, then the ClusterBook window."
Write-Host " 5. Close Excel without saving, uninstall ClusterBook (Settings > Apps), then run this"
Write-Host "    script with -Step uninstalled."
Write-Host ""
Write-Host "$script:failures failure(s) so far."
exit [int]($script:failures -gt 0)
