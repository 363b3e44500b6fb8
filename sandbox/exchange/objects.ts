/**
 * Exchange output objects as InvokeCommand returns them. Get-CASMailbox rows are real-sized: the
 * properties Exchange Online returns (about 70), each non-string one with its `Prop@odata.type`
 * annotation, as CIPP, ExoHelper (`RemoveExoOdataProperties`) and the EXO module see them. `$select`
 * (see {@link selectProperties}) cuts a row down to the named properties and their annotations.
 */
import type { AuthenticationPolicy, ExchangeServicePrincipal, TenantUser } from "../model.ts";
import { stableGuid } from "../store/ids.ts";
import type { ExchangeBehaviour } from "./behaviour.ts";

/** The mailbox alias Exchange shows as Identity and Name. */
export function alias(u: TenantUser): string {
  return u.userPrincipalName.split("@")[0]!;
}

const COLLECTION = "#Collection(String)";
const EXCHANGE_DN =
  "OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=SANDBOX01PR01A001,DC=PROD";
const CREATED = "2024-03-01T09:00:00+00:00";

/**
 * A Get-CASMailbox row. `smtpAuthDisabled` is what the answering replica holds (see store/lag.ts),
 * which may be older than the store's value.
 */
export function casMailbox(u: TenantUser, smtpAuthDisabled: boolean | null): Record<string, unknown> {
  const name = alias(u);
  const guid = stableGuid(u.id, "mailbox");
  return {
    Identity: name,
    Name: name,
    DisplayName: u.displayName,
    PrimarySmtpAddress: u.mail,
    ExternalDirectoryObjectId: u.id,
    Guid: guid,
    "Guid@odata.type": "#Guid",
    ExchangeObjectId: guid,
    "ExchangeObjectId@odata.type": "#Guid",
    Id: name,
    DistinguishedName: `CN=${name},${EXCHANGE_DN}`,
    SamAccountName: `$${name.slice(0, 12).toUpperCase()}-SBX`,
    LegacyExchangeDN: `/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${guid.replaceAll("-", "")}-${name}`,
    EmailAddresses: [`SMTP:${u.mail}`, `smtp:${name}@contoso.onmicrosoft.com`],
    "EmailAddresses@odata.type": COLLECTION,
    ServerName: "sandbox01pr01mb0001",
    OriginatingServer: "SANDBOX01PR01A001.PROD.OUTLOOK.COM",
    OrganizationId:
      "SANDBOX01PR01A001.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com",
    ActiveSyncEnabled: true,
    ActiveSyncAllowedDeviceIDs: [],
    "ActiveSyncAllowedDeviceIDs@odata.type": COLLECTION,
    ActiveSyncBlockedDeviceIDs: [],
    "ActiveSyncBlockedDeviceIDs@odata.type": COLLECTION,
    ActiveSyncMailboxPolicy: "Default",
    ActiveSyncMailboxPolicyIsDefaulted: true,
    ActiveSyncDebugLogging: false,
    ActiveSyncSuppressReadReceipt: false,
    HasActiveSyncDevicePartnership: false,
    OwaMailboxPolicy: "OwaMailboxPolicy-Default",
    OWAforDevicesEnabled: true,
    OWAEnabled: true,
    IsOptimizedForAccessibility: false,
    ECPEnabled: true,
    EmwsEnabled: true,
    PopEnabled: true,
    PopUseProtocolDefaults: true,
    PopMessagesRetrievalMimeFormat: "BestBodyFormat",
    PopEnableExactRFC822Size: false,
    PopProtocolLoggingEnabled: false,
    PopSuppressReadReceipt: false,
    PopForceICalForCalendarRetrievalOption: false,
    ImapEnabled: true,
    ImapUseProtocolDefaults: true,
    ImapMessagesRetrievalMimeFormat: "BestBodyFormat",
    ImapEnableExactRFC822Size: false,
    ImapProtocolLoggingEnabled: false,
    ImapSuppressReadReceipt: false,
    ImapForceICalForCalendarRetrievalOption: false,
    MAPIEnabled: true,
    MapiHttpEnabled: null,
    UniversalOutlookEnabled: true,
    OutlookMobileEnabled: true,
    MacOutlookEnabled: true,
    OneWinNativeOutlookEnabled: true,
    MAPIBlockOutlookNonCachedMode: false,
    MAPIBlockOutlookVersions: null,
    MAPIBlockOutlookRpcHttp: false,
    MAPIBlockOutlookExternalConnectivity: false,
    EwsEnabled: true,
    EwsAllowOutlook: null,
    EwsAllowMacOutlook: null,
    EwsAllowEntourage: null,
    EwsApplicationAccessPolicy: null,
    EwsAllowList: null,
    EwsBlockList: null,
    ShowGalAsDefaultView: true,
    PublicFolderClientAccess: false,
    SmtpClientAuthenticationDisabled: smtpAuthDisabled,
    IsValid: true,
    ObjectState: "Unchanged",
    WhenCreated: CREATED,
    "WhenCreated@odata.type": "#DateTimeOffset",
    WhenCreatedUTC: CREATED,
    "WhenCreatedUTC@odata.type": "#DateTimeOffset",
    WhenChanged: CREATED,
    "WhenChanged@odata.type": "#DateTimeOffset",
    WhenChangedUTC: CREATED,
    "WhenChangedUTC@odata.type": "#DateTimeOffset",
  };
}

/** A Get-User row. */
export function exoUser(u: TenantUser): Record<string, unknown> {
  return {
    Identity: alias(u),
    Name: alias(u),
    DisplayName: u.displayName,
    UserPrincipalName: u.userPrincipalName,
    ExternalDirectoryObjectId: u.id,
    RecipientType: u.hasMailbox ? "UserMailbox" : "User",
    RecipientTypeDetails: u.hasMailbox ? "UserMailbox" : "User",
    AccountDisabled: !u.accountEnabled,
    AuthenticationPolicy: u.authenticationPolicy,
  };
}

/** A Get-AuthenticationPolicy row. */
export function authPolicy(p: AuthenticationPolicy): Record<string, unknown> {
  return {
    Identity: p.name,
    Name: p.name,
    AllowBasicAuthActiveSync: false,
    AllowBasicAuthAutodiscover: false,
    AllowBasicAuthImap: false,
    AllowBasicAuthMapi: false,
    AllowBasicAuthOfflineAddressBook: false,
    AllowBasicAuthOutlookService: false,
    AllowBasicAuthPop: false,
    AllowBasicAuthReportingWebServices: false,
    AllowBasicAuthRest: false,
    AllowBasicAuthRpc: false,
    AllowBasicAuthSmtp: p.allowBasicAuthSmtp,
    AllowBasicAuthWebServices: false,
    AllowBasicAuthPowershell: false,
  };
}

/** A Get/New-ServicePrincipal row. */
export function servicePrincipal(s: ExchangeServicePrincipal): Record<string, unknown> {
  return {
    Identity: s.objectId,
    DisplayName: s.displayName,
    AppId: s.appId,
    ObjectId: s.objectId,
    ServiceId: s.objectId,
    Name: s.objectId,
  };
}

/**
 * A Get-MailboxPermission row. A service-principal trustee is shown as its object id or, with the
 * `servicePrincipalTrustee: "displayName"` switch, its display name (Microsoft publishes no sample).
 */
export function permissionRow(
  mailboxUser: TenantUser,
  user: string,
  accessRights: string[],
  sp?: { sp: ExchangeServicePrincipal; behaviour: ExchangeBehaviour },
): Record<string, unknown> {
  const shown = sp && sp.behaviour.servicePrincipalTrustee === "displayName" ? sp.sp.displayName : user;
  return {
    Identity: alias(mailboxUser),
    User: shown,
    AccessRights: accessRights,
    IsInherited: false,
    Deny: false,
    InheritanceType: "All",
  };
}

/**
 * `$select=A,B`: keeps the named properties (case-insensitive) and their `@odata.type` annotations.
 * Null or empty selects everything.
 */
export function selectProperties(row: Record<string, unknown>, select: string | null): Record<string, unknown> {
  if (select === null || select.trim() === "") return row;
  const wanted = new Set(
    select
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (wanted.has(k.toLowerCase().replace(/@odata\.type$/, ""))) out[k] = v;
  }
  return out;
}
