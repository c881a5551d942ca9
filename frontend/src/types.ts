// Types of what the studio works with: the design document (tierplan.design/v1, validated by the server's
// schema in apps/designs), the catalog, the API's answers and the live session's operations.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Props = Record<string, Json>;

export interface Point {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
// A box on the canvas, corners x1,y1 (top left) and x2,y2.
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Component {
  id: string;
  type: string;
  tier: string;
  label?: string;
  props: Props;
  usage: Props;
  group?: string | null;
  position?: Point | null;
  // An imported component's CloudFormation as written (logical id, properties), kept for the round trip.
  cloudformation?: Json;
}

export interface Connection {
  id: string;
  source: string;
  target: string;
  kind: string;
  label?: string;
  props: Props;
}

export interface Group {
  id: string;
  kind: string;
  label?: string;
  parent?: string | null;
  props?: Props;
  // Where an empty group is drawn (a group with members surrounds them).
  position?: Point | null;
  size?: Size | null;
}

export interface Design {
  schema: string;
  name: string;
  description?: string;
  region?: string;
  tiers?: { id: string; label?: string }[];
  groups?: Group[];
  components: Component[];
  connections: Connection[];
  workload?: Props;
  cloudformation?: Json;
}

// The three lists of a design and what each holds.
export interface Items {
  component: Component;
  connection: Connection;
  group: Group;
}
export type ItemKind = keyof Items;

// The catalog (/api/catalog/): component types, connection kinds and group kinds.
// The JSON Schema of a type's props or usage, as the catalog publishes it (with Tierplan's x- hints).
export interface JsonSchema {
  type?: "string" | "number" | "integer" | "boolean" | "object" | "array";
  description?: string;
  default?: Json;
  enum?: Json[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  "x-unit"?: string;
  "x-max-bytes"?: number;
}
export interface ComponentType {
  type: string;
  label: string;
  tier: string;
  category?: string;
  icon?: string;
  description?: string;
  family?: string;
  props?: JsonSchema;
  usage?: JsonSchema;
  defaults?: { props?: Props; usage?: Props };
  cloudformation_types?: string[];
  resource_icons?: { resources: Record<string, string>; services: Record<string, string>; generic: string };
  // Why a type has no cost estimate (it is drawn as "not estimated").
  not_estimated?: string;
  [more: string]: unknown;
}
export interface ConnectionKind {
  kind: string;
  label: string;
  description?: string;
  sources: string[];
  targets: string[];
  excludes?: { source: string; target: string; why: string }[];
  props?: JsonSchema;
  [more: string]: unknown;
}
export interface GroupKind {
  kind: string;
  label: string;
  parents?: string[];
  props?: JsonSchema;
  description?: string;
  [more: string]: unknown;
}
export interface Catalog {
  tiers: { id: string; label: string }[];
  types: ComponentType[];
  connection_kinds: ConnectionKind[];
  group_kinds?: GroupKind[];
  families?: { id: string; label: string }[];
  [more: string]: unknown;
}

// Field errors of a refused save, by the item and field they name ("props.memory_mb").
export type FieldErrors = Record<string, string>;
export interface SaveErrors {
  byComponent: Record<string, FieldErrors>;
  byConnection: Record<string, FieldErrors>;
  byGroup: Record<string, FieldErrors>;
  general: string[];
}

// The API's answers.
export interface ErrorDetail {
  pointer?: string;
  message: string;
}
export interface ErrorBody {
  error?: { code?: string; message?: string; details?: ErrorDetail[] };
}
export interface Artifact {
  id?: number;
  kind?: string;
  content_type: string;
  download_url: string;
  size?: number;
  filename?: string;
  [more: string]: unknown;
}
export type JobStatus = "queued" | "running" | "succeeded" | "failed";
export interface Job {
  id: number;
  kind?: string;
  status: JobStatus;
  progress?: number;
  error?: string;
  artifacts?: Artifact[];
  [more: string]: unknown;
}
export interface RevisionSummary {
  number: number;
  author?: { username: string } | null;
  created_at: string;
  message?: string;
  [more: string]: unknown;
}
export interface RevisionDetail extends RevisionSummary {
  design: Design;
}
export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
}
export interface DesignDiff {
  components: { added: (Component | string)[]; removed: (Component | string)[]; changed: (Component | string)[] };
  connections?: { added: Connection[]; removed: Connection[]; changed: Connection[] };
  summary: { components: DiffCounts; connections?: DiffCounts };
  cost?: { old_total_monthly_usd: number; new_total_monthly_usd: number; total_delta_usd: number } | null;
}
export interface Finding {
  rule: string;
  severity: string;
  message: string;
  fix?: string;
  components?: string[];
  [more: string]: unknown;
}
export interface Reply {
  id: number;
  author_name: string;
  body: string;
  created_at: string;
}
export interface Comment {
  id: number;
  component?: string | null;
  resolved: boolean;
  body: string;
  author_name: string;
  // False for a reviewer who came through a review link.
  member: boolean;
  revision: number;
  created_at: string;
  replies?: Reply[];
  [more: string]: unknown;
}
export interface Estimate {
  components: { id: string; monthly_usd: number }[];
  total_monthly_usd: number;
}

// Live operations (apps/live/operations.py): field-level edits the server orders and applies.
export type Op =
  | { type: "replace"; document: Design }
  | { type: "set_design"; field: string; value?: Json }
  | { type: "add_component"; component: Component }
  | { type: "add_connection"; connection: Connection }
  | { type: "add_group"; group: Group }
  | { type: "set_component" | "set_connection" | "set_group"; id: string; field: string; value?: Json }
  | { type: "remove_component" | "remove_connection" | "remove_group"; id: string };

// Review links (share links) of a project.
export interface ShareLink {
  id: number;
  label: string;
  revision: number | null;
  follows_latest: boolean;
  expires_at: string | null;
  allow_downloads: boolean;
  created_at: string;
  revoked?: boolean;
  // The address, only in the answer that created the link (only a hash of the token is kept).
  url?: string;
  [more: string]: unknown;
}
export interface ShareLinkRequest {
  label: string;
  allow_downloads: boolean;
  revision?: number | null;
  expires_in_days?: number;
}

// The pattern library.
export interface PatternSummary {
  slug: string;
  name: string;
  summary?: string;
}
export interface PatternDetail extends PatternSummary {
  design: Design;
}

// What importing a template answers: the design and a report of what each resource became.
export interface ImportCountsData {
  resources: number;
  components: number;
  connections_drawn: number;
  parts: number;
  kept_not_drawn: number;
  kept_as_cloudformation_resource?: number;
  mapped_to_catalog_types?: number;
}
export interface ImportResource {
  logical_id: string;
  type: string;
  became: string;
  component?: string;
  connections?: string[];
  notes?: string[];
}
export interface ImportReportData {
  counts: ImportCountsData;
  resources: ImportResource[];
  not_understood?: string[];
  kept_sections?: string[];
  implicit_components?: string[];
}
export interface ImportResult {
  design: Design;
  report: ImportReportData;
  project?: { id: number };
}
