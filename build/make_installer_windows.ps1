# Windows: build the Inno Setup installer from dist\bertdesk (after build/build.sh).
$ErrorActionPreference = "Stop"
$version = (python -c "import bertdesk; print(bertdesk.__version__)").Trim()
$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { choco install innosetup -y --no-progress }
& $iscc "/DAppVersion=$version" "build\installer\bertdesk.iss"
Get-ChildItem dist\*setup.exe | ForEach-Object { "{0}  {1:N0} MB" -f $_.Name, ($_.Length / 1MB) }
