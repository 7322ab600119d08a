export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

export type Database = {
  "public": {
    Tables: {
      "appointments": {
        Row: {
          "blocked_during": unknown;
          "blocked_until": string | null;
          "cancelled_at": string | null;
          "created_at": string;
          "customer_name": string;
          "customer_phone": string | null;
          "end_time": string;
          "id": string;
          "is_active": boolean | null;
          "notes": string | null;
          "organization_id": string;
          "rescheduled_from": string | null;
          "revision": number;
          "service": string | null;
          "service_id": string | null;
          "staff_member_id": string | null;
          "start_time": string;
          "status": string;
          "tool_call_id": string | null;
          "updated_at": string;
          "vapi_call_id": string | null;
        };
        ComputedFields: never;
        Insert: {
          "blocked_during"?: never;
          "blocked_until"?: string | null;
          "cancelled_at"?: string | null;
          "created_at"?: string;
          "customer_name": string;
          "customer_phone"?: string | null;
          "end_time": string;
          "id"?: string;
          "is_active"?: never;
          "notes"?: string | null;
          "organization_id": string;
          "rescheduled_from"?: string | null;
          "revision"?: number;
          "service"?: string | null;
          "service_id"?: string | null;
          "staff_member_id"?: string | null;
          "start_time": string;
          "status"?: string;
          "tool_call_id"?: string | null;
          "updated_at"?: string;
          "vapi_call_id"?: string | null;
        };
        Update: {
          "blocked_during"?: never;
          "blocked_until"?: string | null;
          "cancelled_at"?: string | null;
          "created_at"?: string;
          "customer_name"?: string;
          "customer_phone"?: string | null;
          "end_time"?: string;
          "id"?: string;
          "is_active"?: never;
          "notes"?: string | null;
          "organization_id"?: string;
          "rescheduled_from"?: string | null;
          "revision"?: number;
          "service"?: string | null;
          "service_id"?: string | null;
          "staff_member_id"?: string | null;
          "start_time"?: string;
          "status"?: string;
          "tool_call_id"?: string | null;
          "updated_at"?: string;
          "vapi_call_id"?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "appointments_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "appointments_rescheduled_from_fkey";
            columns: ["organization_id", "rescheduled_from"];
            isOneToOne: false;
            referencedRelation: "appointments";
            referencedColumns: ["organization_id", "id"];
          },
          {
            foreignKeyName: "appointments_service_fkey";
            columns: ["organization_id", "service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["organization_id", "id"];
          },
          {
            foreignKeyName: "appointments_staff_member_fkey";
            columns: ["organization_id", "staff_member_id"];
            isOneToOne: false;
            referencedRelation: "staff_members";
            referencedColumns: ["organization_id", "id"];
          },
        ];
      };
      "business_hours": {
        Row: {
          "closes_at": string;
          "id": string;
          "opens_at": string;
          "organization_id": string;
          "weekday": number;
        };
        ComputedFields: never;
        Insert: {
          "closes_at": string;
          "id"?: string;
          "opens_at": string;
          "organization_id": string;
          "weekday": number;
        };
        Update: {
          "closes_at"?: string;
          "id"?: string;
          "opens_at"?: string;
          "organization_id"?: string;
          "weekday"?: number;
        };
        Relationships: [
          {
            foreignKeyName: "business_hours_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "calendar_feeds": {
        Row: {
          "created_at": string;
          "expires_at": string | null;
          "id": string;
          "organization_id": string;
          "revoked_at": string | null;
          "staff_member_id": string | null;
          "token_hash": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "expires_at"?: string | null;
          "id"?: string;
          "organization_id": string;
          "revoked_at"?: string | null;
          "staff_member_id"?: string | null;
          "token_hash": string;
        };
        Update: {
          "created_at"?: string;
          "expires_at"?: string | null;
          "id"?: string;
          "organization_id"?: string;
          "revoked_at"?: string | null;
          "staff_member_id"?: string | null;
          "token_hash"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_feeds_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_feeds_staff_member_same_organization";
            columns: ["organization_id", "staff_member_id"];
            isOneToOne: false;
            referencedRelation: "staff_members";
            referencedColumns: ["organization_id", "id"];
          },
        ];
      };
      "call_logs": {
        Row: {
          "cost": number | null;
          "created_at": string;
          "duration_seconds": number | null;
          "ended_at": string | null;
          "ended_reason": string | null;
          "id": string;
          "language": string | null;
          "last_event_at": string | null;
          "organization_id": string;
          "recording_url": string | null;
          "resolved_by": string | null;
          "started_at": string | null;
          "status": string;
          "structured_data": Json | null;
          "success_evaluation": string | null;
          "summary": string | null;
          "transcript": string | null;
          "updated_at": string;
          "vapi_assistant_id": string | null;
          "vapi_call_id": string;
        };
        ComputedFields: never;
        Insert: {
          "cost"?: number | null;
          "created_at"?: string;
          "duration_seconds"?: number | null;
          "ended_at"?: string | null;
          "ended_reason"?: string | null;
          "id"?: string;
          "language"?: string | null;
          "last_event_at"?: string | null;
          "organization_id": string;
          "recording_url"?: string | null;
          "resolved_by"?: string | null;
          "started_at"?: string | null;
          "status"?: string;
          "structured_data"?: Json | null;
          "success_evaluation"?: string | null;
          "summary"?: string | null;
          "transcript"?: string | null;
          "updated_at"?: string;
          "vapi_assistant_id"?: string | null;
          "vapi_call_id": string;
        };
        Update: {
          "cost"?: number | null;
          "created_at"?: string;
          "duration_seconds"?: number | null;
          "ended_at"?: string | null;
          "ended_reason"?: string | null;
          "id"?: string;
          "language"?: string | null;
          "last_event_at"?: string | null;
          "organization_id"?: string;
          "recording_url"?: string | null;
          "resolved_by"?: string | null;
          "started_at"?: string | null;
          "status"?: string;
          "structured_data"?: Json | null;
          "success_evaluation"?: string | null;
          "summary"?: string | null;
          "transcript"?: string | null;
          "updated_at"?: string;
          "vapi_assistant_id"?: string | null;
          "vapi_call_id"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "call_logs_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "closed_dates": {
        Row: {
          "closed_on": string;
          "organization_id": string;
          "reason": string | null;
        };
        ComputedFields: never;
        Insert: {
          "closed_on": string;
          "organization_id": string;
          "reason"?: string | null;
        };
        Update: {
          "closed_on"?: string;
          "organization_id"?: string;
          "reason"?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "closed_dates_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "customer_configurations": {
        Row: {
          "created_at": string;
          "custom_config": NonNullable<Json>;
          "id": string;
          "is_active": boolean;
          "organization_id": string;
          "primary_language": string;
          "secondary_languages": (string)[];
          "sms_preferences": NonNullable<Json>;
          "transfer_phone_number": string | null;
          "updated_at": string;
          "vapi_assistant_id": string | null;
          "vapi_phone_number": string | null;
          "vapi_phone_number_id": string | null;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "custom_config"?: NonNullable<Json>;
          "id"?: string;
          "is_active"?: boolean;
          "organization_id": string;
          "primary_language"?: string;
          "secondary_languages"?: (string)[];
          "sms_preferences"?: NonNullable<Json>;
          "transfer_phone_number"?: string | null;
          "updated_at"?: string;
          "vapi_assistant_id"?: string | null;
          "vapi_phone_number"?: string | null;
          "vapi_phone_number_id"?: string | null;
        };
        Update: {
          "created_at"?: string;
          "custom_config"?: NonNullable<Json>;
          "id"?: string;
          "is_active"?: boolean;
          "organization_id"?: string;
          "primary_language"?: string;
          "secondary_languages"?: (string)[];
          "sms_preferences"?: NonNullable<Json>;
          "transfer_phone_number"?: string | null;
          "updated_at"?: string;
          "vapi_assistant_id"?: string | null;
          "vapi_phone_number"?: string | null;
          "vapi_phone_number_id"?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "customer_configurations_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "notifications": {
        Row: {
          "appointment_id": string | null;
          "attempts": number;
          "body": string;
          "claim_id": string | null;
          "created_at": string;
          "describes_start": string | null;
          "id": string;
          "kind": string;
          "last_attempt_at": string | null;
          "last_error": string | null;
          "lease_expires_at": string | null;
          "organization_id": string;
          "provider_message_id": string | null;
          "reconciliations": number;
          "send_after": string;
          "sent_at": string | null;
          "status": string;
          "to_phone": string;
          "unknown_since": string | null;
          "updated_at": string;
          "withdrawn_at": string | null;
        };
        ComputedFields: never;
        Insert: {
          "appointment_id"?: string | null;
          "attempts"?: number;
          "body": string;
          "claim_id"?: string | null;
          "created_at"?: string;
          "describes_start"?: string | null;
          "id"?: string;
          "kind": string;
          "last_attempt_at"?: string | null;
          "last_error"?: string | null;
          "lease_expires_at"?: string | null;
          "organization_id": string;
          "provider_message_id"?: string | null;
          "reconciliations"?: number;
          "send_after"?: string;
          "sent_at"?: string | null;
          "status"?: string;
          "to_phone": string;
          "unknown_since"?: string | null;
          "updated_at"?: string;
          "withdrawn_at"?: string | null;
        };
        Update: {
          "appointment_id"?: string | null;
          "attempts"?: number;
          "body"?: string;
          "claim_id"?: string | null;
          "created_at"?: string;
          "describes_start"?: string | null;
          "id"?: string;
          "kind"?: string;
          "last_attempt_at"?: string | null;
          "last_error"?: string | null;
          "lease_expires_at"?: string | null;
          "organization_id"?: string;
          "provider_message_id"?: string | null;
          "reconciliations"?: number;
          "send_after"?: string;
          "sent_at"?: string | null;
          "status"?: string;
          "to_phone"?: string;
          "unknown_since"?: string | null;
          "updated_at"?: string;
          "withdrawn_at"?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "notifications_appointment_id_fkey";
            columns: ["appointment_id"];
            isOneToOne: false;
            referencedRelation: "appointments";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "notifications_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "organization_members": {
        Row: {
          "created_at": string;
          "organization_id": string;
          "role": string;
          "user_id": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "organization_id": string;
          "role"?: string;
          "user_id": string;
        };
        Update: {
          "created_at"?: string;
          "organization_id"?: string;
          "role"?: string;
          "user_id"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "organization_members_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "organizations": {
        Row: {
          "created_at": string;
          "default_appointment_minutes": number;
          "id": string;
          "max_advance_days": number;
          "min_notice_minutes": number;
          "name": string;
          "slot_minutes": number;
          "timezone": string;
          "updated_at": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "default_appointment_minutes"?: number;
          "id"?: string;
          "max_advance_days"?: number;
          "min_notice_minutes"?: number;
          "name": string;
          "slot_minutes"?: number;
          "timezone"?: string;
          "updated_at"?: string;
        };
        Update: {
          "created_at"?: string;
          "default_appointment_minutes"?: number;
          "id"?: string;
          "max_advance_days"?: number;
          "min_notice_minutes"?: number;
          "name"?: string;
          "slot_minutes"?: number;
          "timezone"?: string;
          "updated_at"?: string;
        };
        Relationships: [];
      };
      "services": {
        Row: {
          "aliases": (string)[];
          "buffer_minutes": number;
          "created_at": string;
          "duration_minutes": number;
          "id": string;
          "is_active": boolean;
          "name": string;
          "organization_id": string;
          "updated_at": string;
        };
        ComputedFields: never;
        Insert: {
          "aliases"?: (string)[];
          "buffer_minutes"?: number;
          "created_at"?: string;
          "duration_minutes": number;
          "id"?: string;
          "is_active"?: boolean;
          "name": string;
          "organization_id": string;
          "updated_at"?: string;
        };
        Update: {
          "aliases"?: (string)[];
          "buffer_minutes"?: number;
          "created_at"?: string;
          "duration_minutes"?: number;
          "id"?: string;
          "is_active"?: boolean;
          "name"?: string;
          "organization_id"?: string;
          "updated_at"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "services_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "sms_opt_outs": {
        Row: {
          "created_at": string;
          "organization_id": string;
          "phone": string;
          "source": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "organization_id": string;
          "phone": string;
          "source"?: string;
        };
        Update: {
          "created_at"?: string;
          "organization_id"?: string;
          "phone"?: string;
          "source"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "sms_opt_outs_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "staff_hours": {
        Row: {
          "closes_at": string;
          "id": string;
          "opens_at": string;
          "organization_id": string;
          "staff_member_id": string;
          "weekday": number;
        };
        ComputedFields: never;
        Insert: {
          "closes_at": string;
          "id"?: string;
          "opens_at": string;
          "organization_id": string;
          "staff_member_id": string;
          "weekday": number;
        };
        Update: {
          "closes_at"?: string;
          "id"?: string;
          "opens_at"?: string;
          "organization_id"?: string;
          "staff_member_id"?: string;
          "weekday"?: number;
        };
        Relationships: [
          {
            foreignKeyName: "staff_hours_organization_id_staff_member_id_fkey";
            columns: ["organization_id", "staff_member_id"];
            isOneToOne: false;
            referencedRelation: "staff_members";
            referencedColumns: ["organization_id", "id"];
          },
        ];
      };
      "staff_members": {
        Row: {
          "created_at": string;
          "id": string;
          "is_active": boolean;
          "name": string;
          "organization_id": string;
          "updated_at": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "id"?: string;
          "is_active"?: boolean;
          "name": string;
          "organization_id": string;
          "updated_at"?: string;
        };
        Update: {
          "created_at"?: string;
          "id"?: string;
          "is_active"?: boolean;
          "name"?: string;
          "organization_id"?: string;
          "updated_at"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "staff_members_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      "staff_services": {
        Row: {
          "organization_id": string;
          "service_id": string;
          "staff_member_id": string;
        };
        ComputedFields: never;
        Insert: {
          "organization_id": string;
          "service_id": string;
          "staff_member_id": string;
        };
        Update: {
          "organization_id"?: string;
          "service_id"?: string;
          "staff_member_id"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "staff_services_organization_id_service_id_fkey";
            columns: ["organization_id", "service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["organization_id", "id"];
          },
          {
            foreignKeyName: "staff_services_organization_id_staff_member_id_fkey";
            columns: ["organization_id", "staff_member_id"];
            isOneToOne: false;
            referencedRelation: "staff_members";
            referencedColumns: ["organization_id", "id"];
          },
        ];
      };
      "staff_time_off": {
        Row: {
          "created_at": string;
          "ends_at": string;
          "id": string;
          "organization_id": string;
          "reason": string | null;
          "staff_member_id": string;
          "starts_at": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "ends_at": string;
          "id"?: string;
          "organization_id": string;
          "reason"?: string | null;
          "staff_member_id": string;
          "starts_at": string;
        };
        Update: {
          "created_at"?: string;
          "ends_at"?: string;
          "id"?: string;
          "organization_id"?: string;
          "reason"?: string | null;
          "staff_member_id"?: string;
          "starts_at"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "staff_time_off_organization_id_staff_member_id_fkey";
            columns: ["organization_id", "staff_member_id"];
            isOneToOne: false;
            referencedRelation: "staff_members";
            referencedColumns: ["organization_id", "id"];
          },
        ];
      };
      "tool_call_executions": {
        Row: {
          "created_at": string;
          "organization_id": string;
          "request_hash": string | null;
          "response": Json | null;
          "tool_call_id": string;
          "tool_name": string;
          "vapi_call_id": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "organization_id": string;
          "request_hash"?: string | null;
          "response"?: Json | null;
          "tool_call_id": string;
          "tool_name": string;
          "vapi_call_id": string;
        };
        Update: {
          "created_at"?: string;
          "organization_id"?: string;
          "request_hash"?: string | null;
          "response"?: Json | null;
          "tool_call_id"?: string;
          "tool_name"?: string;
          "vapi_call_id"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "tool_call_executions_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
    };
    Views: {
      [_ in never]: never;
    };
    Functions: {
      "calendar_feed_events": { Args: { "p_token": string }; Returns: Json };
      "claim_notifications": {
        Args: { "p_lease_seconds"?: number; "p_limit"?: number; "p_organization_ids"?: (string)[] };
        Returns: {
          "attempts": number;
          "body": string;
          "claim_id": string;
          "from_phone": string;
          "id": string;
          "kind": string;
          "last_attempt_at": string;
          "organization_id": string;
          "reconcile": boolean;
          "to_phone": string;
        }[];
      };
      "create_calendar_feed": {
        Args: { "p_expires_at"?: string; "p_organization_id": string; "p_staff_member_id"?: string };
        Returns: string;
      };
      "record_call_event": {
        Args: {
          "p_assistant_id"?: string;
          "p_event"?: Json;
          "p_phone_number"?: string;
          "p_phone_number_id"?: string;
          "p_vapi_call_id"?: string;
        };
        Returns: Json;
      };
      "record_inbound_sms": {
        Args: {
          "p_body": string;
          "p_except_organization_ids"?: (string)[];
          "p_from_phone": string;
          "p_organization_ids"?: (string)[];
          "p_sender_organization_ids"?: (string)[];
          "p_to_phone": string;
        };
        Returns: string;
      };
      "record_notification_result": {
        Args: {
          "p_claim_id": string;
          "p_error"?: string;
          "p_id": string;
          "p_outcome": string;
          "p_provider_message_id"?: string;
          "p_retry_after_seconds"?: number;
        };
        Returns: string;
      };
      "resolve_org_and_book": {
        Args: {
          "p_arguments"?: Json;
          "p_assistant_id"?: string;
          "p_caller_phone"?: string;
          "p_phone_number"?: string;
          "p_phone_number_id"?: string;
          "p_tool_call_id"?: string;
          "p_vapi_call_id"?: string;
        };
        Returns: Json;
      };
      "resolve_org_and_cancel": {
        Args: {
          "p_arguments"?: Json;
          "p_assistant_id"?: string;
          "p_caller_phone"?: string;
          "p_phone_number"?: string;
          "p_phone_number_id"?: string;
          "p_tool_call_id"?: string;
          "p_vapi_call_id"?: string;
        };
        Returns: Json;
      };
      "resolve_org_and_check_availability": {
        Args: {
          "p_arguments"?: Json;
          "p_assistant_id"?: string;
          "p_caller_phone"?: string;
          "p_phone_number"?: string;
          "p_phone_number_id"?: string;
          "p_tool_call_id"?: string;
          "p_vapi_call_id"?: string;
        };
        Returns: Json;
      };
      "resolve_org_and_reschedule": {
        Args: {
          "p_arguments"?: Json;
          "p_assistant_id"?: string;
          "p_caller_phone"?: string;
          "p_phone_number"?: string;
          "p_phone_number_id"?: string;
          "p_tool_call_id"?: string;
          "p_vapi_call_id"?: string;
        };
        Returns: Json;
      };
      "revoke_calendar_feed": { Args: { "p_token": string }; Returns: boolean };
      "route_assistant_request": {
        Args: { "p_phone_number"?: string; "p_phone_number_id"?: string; "p_vapi_call_id"?: string };
        Returns: Json;
      };
      "transfer_destination": {
        Args: {
          "p_assistant_id"?: string;
          "p_phone_number"?: string;
          "p_phone_number_id"?: string;
          "p_vapi_call_id"?: string;
        };
        Returns: Json;
      };
    };
    Enums: {
      [_ in never]: never;
    };
    CompositeTypes: {
      [_ in never]: never;
    };
  };
};

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">;

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">];

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof (
      & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
      & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"]
    )
    : never = never,
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals } ? (
    & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"]
  )[TableName] extends {
    Row: infer R;
  } ? R
  : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R;
    } ? R
    : never
  : never;

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never,
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
    Insert: infer I;
  } ? I
  : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I;
    } ? I
    : never
  : never;

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never,
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
    Update: infer U;
  } ? U
  : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U;
    } ? U
    : never
  : never;

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never,
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never;

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never,
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never;

export const Constants = {
  "public": {
    Enums: {},
  },
} as const;
