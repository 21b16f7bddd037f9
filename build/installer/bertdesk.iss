; Inno Setup script: wraps the PyInstaller folder dist\bertdesk into a Windows installer.
; Built by build/make_installer_windows.ps1 (ISCC.exe /DAppVersion=... build\installer\bertdesk.iss).
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C3B7E3A-5C1E-4B9E-9B7A-2F0B1D6E9A41}
AppName=bertdesk
AppVersion={#AppVersion}
AppPublisher=bertdesk
DefaultDirName={autopf}\bertdesk
DefaultGroupName=bertdesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=bertdesk-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\bertdesk.ico
UninstallDisplayIcon={app}\bertdesk.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Files]
Source: "..\..\dist\bertdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\bertdesk"; Filename: "{app}\bertdesk.exe"
Name: "{autodesktop}\bertdesk"; Filename: "{app}\bertdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\bertdesk.exe"; Description: "Start bertdesk"; Flags: nowait postinstall skipifsilent
