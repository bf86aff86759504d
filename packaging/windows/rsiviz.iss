; Inno Setup 6 script for the rsiviz Windows installer.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\rsiviz.iss
;
; Defines (iscc /DNAME=VALUE):
;   AppVersion  required: the version (the CI passes pyproject.toml's)
;   DistDir     the PyInstaller one-folder bundle (default: ..\..\dist\rsiviz)
;   IconFile    the installer's icon (default: ..\..\build\icons\rsiviz.ico,
;               written by build.spec through packaging/make_icons.py)
;   OutputDir   where the setup .exe goes (default: ..\..\dist)
;
; Per-user install, no administrator rights: %LOCALAPPDATA%\Programs\rsiviz,
; a Start-menu shortcut, an uninstaller, and in HKCU\Software\Classes the
; file types rsiviz owns (scenarios *.rsiviz, stories *.rsivizstory: a
; double-click opens them) plus an "Open with" entry for older *.toml and
; *.story.toml files. rsiviz is never made the default program for .toml
; (see packaging/README.md).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\rsiviz.iss
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\rsiviz"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\rsiviz.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "rsiviz"
#define AppExe "rsiviz.exe"
#define ProgId "rsiviz.toml"
#define ScenarioProgId "rsiviz.scenario"
#define StoryProgId "rsiviz.story"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{EFDA235D-2B33-4007-8A0C-7FDDE9E12DB8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=rsiviz developers
; Non-administrative install mode: {autopf} is %LOCALAPPDATA%\Programs and
; {autoprograms} the user's Start menu; nothing asks for elevation.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
; Close a running rsiviz before files are replaced (Restart Manager).
CloseApplications=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
SetupIconFile={#IconFile}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir={#OutputDir}
OutputBaseFilename=rsiviz-{#AppVersion}-windows-x64-setup

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade first removes the previous version's bundle, so no stale module
; or DLL of an older release stays next to the new ones. Only the folders the
; bundle itself owns are removed, never {app} as a whole (it may be a folder
; the user picked).
Type: filesandordirs; Name: "{app}\_internal"
Type: files; Name: "{app}\{#AppExe}"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; rsiviz's own extensions: the default program for them (a double-click opens
; the file). Uninstalling removes the ProgIDs and the extensions' default value.
Root: HKCU; Subkey: "Software\Classes\.rsiviz"; ValueType: string; ValueName: ""; ValueData: "{#ScenarioProgId}"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\{#ScenarioProgId}"; ValueType: string; ValueName: ""; ValueData: "rsiviz scenario"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#ScenarioProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\{#ScenarioProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\.rsivizstory"; ValueType: string; ValueName: ""; ValueData: "{#StoryProgId}"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\{#StoryProgId}"; ValueType: string; ValueName: ""; ValueData: "rsiviz story"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#StoryProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\{#StoryProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; Per-user file types (HKCU\Software\Classes; HKCU because the install is
; per-user). Older scenario (*.toml) and story (*.story.toml) files share
; Windows' last-extension matching, so one ProgID serves both; it is offered
; under "Open with" and never takes over the default program for .toml.
Root: HKCU; Subkey: "Software\Classes\.toml\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "rsiviz scenario or story"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".toml"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".rsiviz"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".rsivizstory"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the app writes next to itself (the self-test report) are not in the
; install log; remove them with the bundle.
Type: filesandordirs; Name: "{app}\_internal"
Type: files; Name: "{app}\rsiviz-selftest.*"
