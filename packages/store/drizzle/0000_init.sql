CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"ruleset" text,
	"channel" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_revisions" (
	"ruleset" text NOT NULL,
	"channel" text NOT NULL,
	"revision" integer NOT NULL,
	"version" integer NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"author" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_revisions_ruleset_channel_revision_pk" PRIMARY KEY("ruleset","channel","revision")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"ruleset" text NOT NULL,
	"name" text NOT NULL,
	"current_revision" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channels_ruleset_name_pk" PRIMARY KEY("ruleset","name")
);
--> statement-breakpoint
CREATE TABLE "decision_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"ruleset" text NOT NULL,
	"version" integer NOT NULL,
	"channel" text,
	"decision" text NOT NULL,
	"violated_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"duration_us" integer NOT NULL,
	"input" jsonb,
	"input_hash" text,
	"prev_hash" text NOT NULL,
	"row_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_log_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "ruleset_versions" (
	"ruleset" text NOT NULL,
	"version" integer NOT NULL,
	"source" text NOT NULL,
	"hash" text NOT NULL,
	"compiled" jsonb,
	"author" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"parent_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ruleset_versions_ruleset_version_pk" PRIMARY KEY("ruleset","version")
);
--> statement-breakpoint
CREATE TABLE "rulesets" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "violations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"decision_id" text NOT NULL,
	"ruleset" text NOT NULL,
	"rule" text NOT NULL,
	"severity" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"resolved" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_revisions" ADD CONSTRAINT "channel_revisions_ruleset_channel_channels_ruleset_name_fk" FOREIGN KEY ("ruleset","channel") REFERENCES "public"."channels"("ruleset","name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_revisions" ADD CONSTRAINT "channel_revisions_ruleset_version_ruleset_versions_ruleset_version_fk" FOREIGN KEY ("ruleset","version") REFERENCES "public"."ruleset_versions"("ruleset","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_ruleset_rulesets_name_fk" FOREIGN KEY ("ruleset") REFERENCES "public"."rulesets"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ruleset_versions" ADD CONSTRAINT "ruleset_versions_ruleset_rulesets_name_fk" FOREIGN KEY ("ruleset") REFERENCES "public"."rulesets"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "violations" ADD CONSTRAINT "violations_decision_id_decision_log_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision_log"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "audit_events_ruleset_id_idx" ON "audit_events" USING btree ("ruleset","id");--> statement-breakpoint
CREATE INDEX "decision_log_ruleset_seq_idx" ON "decision_log" USING btree ("ruleset","seq");--> statement-breakpoint
CREATE INDEX "decision_log_ruleset_channel_seq_idx" ON "decision_log" USING btree ("ruleset","channel","seq");--> statement-breakpoint
CREATE INDEX "decision_log_decision_seq_idx" ON "decision_log" USING btree ("decision","seq");--> statement-breakpoint
CREATE INDEX "decision_log_created_at_idx" ON "decision_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "decision_log_violated_rules_idx" ON "decision_log" USING gin ("violated_rules");--> statement-breakpoint
CREATE UNIQUE INDEX "ruleset_versions_ruleset_hash_idx" ON "ruleset_versions" USING btree ("ruleset","hash");--> statement-breakpoint
CREATE INDEX "violations_decision_id_idx" ON "violations" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "violations_ruleset_id_idx" ON "violations" USING btree ("ruleset","id");--> statement-breakpoint
CREATE INDEX "violations_rule_id_idx" ON "violations" USING btree ("rule","id");--> statement-breakpoint
CREATE INDEX "violations_created_at_idx" ON "violations" USING btree ("created_at");