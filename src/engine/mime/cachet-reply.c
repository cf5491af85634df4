/* cachet-reply.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-address.h"
#include "cachet-message-builder.h"
#include "cachet-message-render.h"
#include "cachet-message-summary.h"
#include "cachet-mime-text-private.h"
#include "cachet-reply.h"

/* Replies quote only what the message view showed: the plain text body, or
 * the text of an HTML body without its markup, never a hidden part and never
 * anything from an encrypted message (EFAIL "reply" attacks: see
 * docs/security.md, E6). Forwards are inline, as GNOME clients do: the text
 * under a header block, the original's attachments attached again. */

/* Each of these mailbox lists is bounded by the parse; this bounds their
 * union. */
#define MAX_RECIPIENTS 500

static void
reply_attachment_free (CachetReplyAttachment *attachment)
{
  g_free (attachment->file_name);
  g_free (attachment->content_type);
  g_clear_pointer (&attachment->data, g_bytes_unref);
  g_free (attachment);
}

void
cachet_reply_free (CachetReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->to, g_ptr_array_unref);
  g_clear_pointer (&reply->cc, g_ptr_array_unref);
  g_clear_pointer (&reply->bcc, g_ptr_array_unref);
  g_free (reply->message_id);
  g_free (reply->subject);
  g_free (reply->in_reply_to);
  g_strfreev (reply->references);
  g_free (reply->body);
  g_clear_pointer (&reply->attachments, g_ptr_array_unref);
  g_free (reply);
}

/* Length of a reply or forward marker at the start of @subject ("Re:",
 * "RE :", "Re[2]:", "Fwd:", "Fw:", and French Outlook's "TR:"), its
 * trailing blanks included; 0 when there is none. */
static gsize
prefix_length (const char *subject)
{
  static const char * const markers[] = { "re", "fwd", "fw", "tr", "aw", "wg" };

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      gsize length = strlen (markers[i]);
      const char *p = subject + length;

      if (g_ascii_strncasecmp (subject, markers[i], length) != 0)
        continue;
      if (*p == '[')
        {
          while (g_ascii_isdigit (p[1]))
            p++;
          if (p[1] != ']')
            continue;
          p += 2;
        }
      while (*p == ' ')
        p++;
      if (*p != ':')
        continue;
      p++;
      while (*p == ' ' || *p == '\t')
        p++;
      return (gsize) (p - subject);
    }
  return 0;
}

/**
 * cachet_reply_make_subject:
 * @subject: (nullable): the original subject
 * @kind: reply or forward
 *
 * Returns: (transfer full): @subject without its reply and forward markers,
 *   under exactly one "Re: " or "Fwd: "
 */
char *
cachet_reply_make_subject (const char      *subject,
                           CachetReplyKind  kind)
{
  const char *rest = subject != NULL ? subject : "";
  gsize length;

  while (*rest == ' ' || *rest == '\t')
    rest++;
  while ((length = prefix_length (rest)) > 0)
    rest += length;

  /* These markers are what every mail program recognises: never translated. */
  return g_strconcat (kind == CACHET_REPLY_FORWARD ? "Fwd: " : "Re: ", rest, NULL);
}

static gboolean
contains_address (GPtrArray  *addresses,
                  const char *address)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      CachetMessageAddress *entry = g_ptr_array_index (addresses, i);

      if (cachet_address_equal (entry->address, address))
        return TRUE;
    }
  return FALSE;
}

/* Appends the mailboxes of @from to @to, leaving out the user, anything
 * already in @to or @exclude, and what cannot be sent to. */
static void
merge_addresses (GPtrArray  *to,
                 GPtrArray  *exclude,
                 GPtrArray  *from,
                 const char *own_address)
{
  for (guint i = 0; i < from->len && to->len < MAX_RECIPIENTS; i++)
    {
      CachetMessageAddress *entry = g_ptr_array_index (from, i);
      CachetMessageAddress *copy;

      if (!cachet_address_validate (entry->address, NULL) ||
          cachet_address_equal (entry->address, own_address) ||
          contains_address (to, entry->address) ||
          (exclude != NULL && contains_address (exclude, entry->address)))
        continue;
      copy = g_new0 (CachetMessageAddress, 1);
      copy->name = g_strdup (entry->name);
      copy->address = g_strdup (entry->address);
      g_ptr_array_add (to, copy);
    }
}

static GPtrArray *
address_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
}

static GPtrArray *
collect_header_addresses (GMimeMessage     *message,
                          GMimeAddressType  type)
{
  GPtrArray *addresses = address_array_new ();

  _cachet_mime_text_collect_addresses (g_mime_message_get_addresses (message, type), addresses,
                                       MAX_RECIPIENTS);
  return addresses;
}

static void
compute_recipients (CachetReply     *reply,
                    GMimeMessage    *message,
                    CachetReplyKind  kind,
                    const char      *own_address)
{
  g_autoptr(GPtrArray) from = collect_header_addresses (message, GMIME_ADDRESS_TYPE_FROM);
  g_autoptr(GPtrArray) reply_to = collect_header_addresses (message, GMIME_ADDRESS_TYPE_REPLY_TO);
  g_autoptr(GPtrArray) to = collect_header_addresses (message, GMIME_ADDRESS_TYPE_TO);
  g_autoptr(GPtrArray) cc = collect_header_addresses (message, GMIME_ADDRESS_TYPE_CC);
  gboolean from_self = contains_address (from, own_address);

  if (kind == CACHET_REPLY_FORWARD)
    return;

  /* Answering one's own message (from Sent) continues the conversation with
   * its recipients, as every mail program does. */
  if (from_self)
    merge_addresses (reply->to, NULL, to, own_address);
  else
    merge_addresses (reply->to, NULL, reply_to->len > 0 ? reply_to : from, own_address);

  if (kind == CACHET_REPLY_TO_ALL)
    {
      if (!from_self)
        merge_addresses (reply->to, NULL, to, own_address);
      merge_addresses (reply->cc, reply->to, cc, own_address);
    }
}

static void
compute_references (CachetReply          *reply,
                    CachetMessageSummary *summary,
                    CachetReplyKind       kind)
{
  g_autoptr(GStrvBuilder) references = g_strv_builder_new ();
  guint length = summary->references->len;

  /* A message without References but with In-Reply-To (older clients)
   * still has a parent. */
  if (length == 0 && summary->in_reply_to != NULL)
    g_strv_builder_add (references, summary->in_reply_to);
  for (guint i = 0; i < length; i++)
    {
      /* The root and the nearest ancestors, leaving room for the message
       * replied to. */
      if (i > 0 && i + CACHET_MESSAGE_BUILDER_MAX_REFERENCES - 1 <= length)
        continue;
      g_strv_builder_add (references, g_ptr_array_index (summary->references, i));
    }
  if (summary->message_id != NULL)
    g_strv_builder_add (references, summary->message_id);
  reply->references = g_strv_builder_end (references);

  if (kind != CACHET_REPLY_FORWARD)
    reply->in_reply_to = g_strdup (summary->message_id);
}

/* The text the view showed, or NULL when the body is protected or empty. */
static const char *
displayed_text (CachetMessageRender  *render,
                CachetMessageSummary *summary)
{
  switch (render->body_kind)
    {
    case CACHET_MESSAGE_BODY_TEXT:
      return render->body;
    case CACHET_MESSAGE_BODY_HTML:
      return summary->body_text;
    case CACHET_MESSAGE_BODY_NONE:
    case CACHET_MESSAGE_BODY_PROTECTED:
    default:
      return NULL;
    }
}

static gboolean
is_blank (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }
  return TRUE;
}

/* Each line under "> ", or ">" before a line already quoted, so that
 * nested quotes read ">>" as everywhere else. */
static void
append_quoted (GString    *out,
               const char *text)
{
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  /* Blank lines at the end close the text; they are not quoted. */
  while (n_lines > 0 && is_blank (lines[n_lines - 1]))
    n_lines--;
  for (guint i = 0; i < n_lines; i++)
    {
      gsize length = strlen (lines[i]);

      if (length > 0 && lines[i][length - 1] == '\r')
        lines[i][length - 1] = '\0';
      g_string_append (out, lines[i][0] == '\0' || lines[i][0] == '>' ? ">" : "> ");
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
}

static char *
format_sender (CachetMessageSummary *summary)
{
  if (summary->from == NULL)
    return g_strdup (_("Unknown sender"));
  if (summary->from->name != NULL && *summary->from->name != '\0')
    return g_strdup (summary->from->name);
  return g_strdup (summary->from->address);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  /* Translators: the date of the message quoted in a reply or forward, in
   * g_date_time_format() notation. */
  return g_date_time_format (local, _("%A %-d %B %Y at %H:%M"));
}

static char *
quote_for_reply (CachetMessageSummary *summary,
                 const char           *text)
{
  g_autoptr(GString) body = g_string_new ("\n\n");
  g_autofree char *sender = format_sender (summary);

  if (summary->date != NULL)
    {
      g_autofree char *date = format_date (summary->date);

      /* Translators: the line above the quoted text of a reply: the date,
       * then the author's name. */
      g_string_append_printf (body, _("On %s, %s wrote:"), date, sender);
    }
  else
    {
      /* Translators: the line above the quoted text of a reply whose date is
       * unknown. */
      g_string_append_printf (body, _("%s wrote:"), sender);
    }
  g_string_append_c (body, '\n');
  append_quoted (body, text);

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static char *
forward_block (CachetMessageSummary *summary,
               const char           *text)
{
  g_autoptr(GString) body = g_string_new ("\n\n");
  g_autofree char *to = cachet_message_address_list_to_string (summary->to);
  g_autofree char *cc = cachet_message_address_list_to_string (summary->cc);

  g_string_append_printf (body, "%s\n", _("-------- Forwarded Message --------"));
  if (summary->from != NULL)
    {
      g_autofree char *from = cachet_address_format (summary->from->name, summary->from->address);

      /* Translators: a line of the header block of a forwarded message. */
      g_string_append_printf (body, _("From: %s"), from);
      g_string_append_c (body, '\n');
    }
  if (summary->date != NULL)
    {
      g_autofree char *date = format_date (summary->date);

      /* Translators: a line of the header block of a forwarded message. */
      g_string_append_printf (body, _("Date: %s"), date);
      g_string_append_c (body, '\n');
    }
  /* Translators: a line of the header block of a forwarded message. */
  g_string_append_printf (body, _("Subject: %s"), summary->subject != NULL ? summary->subject : "");
  g_string_append_c (body, '\n');
  if (to != NULL && *to != '\0')
    {
      /* Translators: a line of the header block of a forwarded message. */
      g_string_append_printf (body, _("To: %s"), to);
      g_string_append_c (body, '\n');
    }
  if (cc != NULL && *cc != '\0')
    {
      /* Translators: a line of the header block of a forwarded message. */
      g_string_append_printf (body, _("Cc: %s"), cc);
      g_string_append_c (body, '\n');
    }
  g_string_append_c (body, '\n');
  if (text != NULL)
    g_string_append (body, text);

  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* The files a forward carries on: each attachment the view listed. */
static void
collect_forwarded_attachments (CachetReply         *reply,
                               GMimeMessage        *message,
                               CachetMessageRender *render)
{
  for (guint i = 0; i < render->attachments->len; i++)
    {
      CachetMessageAttachment *attachment = g_ptr_array_index (render->attachments, i);
      CachetReplyAttachment *forwarded;
      GBytes *data = cachet_message_render_extract_from_message (message, attachment, NULL);

      if (data == NULL)
        continue;

      forwarded = g_new0 (CachetReplyAttachment, 1);
      forwarded->file_name = attachment->file_name != NULL ? g_strdup (attachment->file_name)
                                                           /* Translators: the file name of a nameless attachment. */
                                                           : g_strdup (_("attachment"));
      forwarded->content_type = g_strdup (attachment->content_type);
      forwarded->data = data;
      g_ptr_array_add (reply->attachments, forwarded);
    }
}

static CachetReply *
reply_new (void)
{
  CachetReply *reply = g_new0 (CachetReply, 1);

  reply->to = address_array_new ();
  reply->cc = address_array_new ();
  reply->bcc = address_array_new ();
  reply->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) reply_attachment_free);
  return reply;
}

/**
 * cachet_reply_new:
 * @original: the raw message, as stored
 * @kind: reply, reply all or forward
 * @own_address: the address of the account answering, left out of the
 *   recipients
 * @error: return location for a #GError
 *
 * Parses @original: call it off the main thread for a large message.
 *
 * Returns: (transfer full) (nullable): the start of the new message, or
 *   %NULL when @original cannot be read as a message
 */
CachetReply *
cachet_reply_new (GBytes           *original,
                  CachetReplyKind   kind,
                  const char       *own_address,
                  GError          **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(CachetMessageRender) render = NULL;
  g_autoptr(CachetReply) reply = NULL;
  const char *text;

  g_return_val_if_fail (original != NULL, NULL);
  g_return_val_if_fail (own_address != NULL, NULL);

  message = cachet_mime_parse_message (original, error);
  if (message == NULL)
    return NULL;
  summary = cachet_message_summary_new_from_message (message);
  render = cachet_message_render_new_from_message (message);

  reply = reply_new ();
  reply->subject = cachet_reply_make_subject (summary->subject, kind);
  compute_recipients (reply, message, kind, own_address);
  compute_references (reply, summary, kind);

  reply->content_withheld = summary->is_encrypted || render->body_kind == CACHET_MESSAGE_BODY_PROTECTED;
  text = reply->content_withheld ? NULL : displayed_text (render, summary);
  if (kind == CACHET_REPLY_FORWARD)
    {
      reply->body = forward_block (summary, text);
      if (!reply->content_withheld)
        collect_forwarded_attachments (reply, message, render);
    }
  else
    {
      reply->body = text != NULL ? quote_for_reply (summary, text) : g_strdup ("");
    }

  return g_steal_pointer (&reply);
}

/**
 * cachet_reply_new_from_draft:
 * @draft: a draft the composer saved
 * @error: return location for a #GError
 *
 * Takes a draft up again: its recipients (Bcc included, which a draft
 * keeps), subject, text, thread, id and attachments, as they were.
 *
 * Returns: (transfer full) (nullable): the draft's content, or %NULL when
 *   @draft cannot be read as a message
 */
CachetReply *
cachet_reply_new_from_draft (GBytes  *draft,
                             GError **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(CachetMessageRender) render = NULL;
  g_autoptr(GStrvBuilder) references = g_strv_builder_new ();
  g_autoptr(CachetReply) reply = NULL;
  GPtrArray *lists[3];

  g_return_val_if_fail (draft != NULL, NULL);

  message = cachet_mime_parse_message (draft, error);
  if (message == NULL)
    return NULL;
  summary = cachet_message_summary_new_from_message (message);
  render = cachet_message_render_new_from_message (message);

  reply = reply_new ();
  lists[0] = collect_header_addresses (message, GMIME_ADDRESS_TYPE_TO);
  lists[1] = collect_header_addresses (message, GMIME_ADDRESS_TYPE_CC);
  lists[2] = collect_header_addresses (message, GMIME_ADDRESS_TYPE_BCC);
  merge_addresses (reply->to, NULL, lists[0], "");
  merge_addresses (reply->cc, NULL, lists[1], "");
  merge_addresses (reply->bcc, NULL, lists[2], "");
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    g_ptr_array_unref (lists[i]);

  reply->subject = g_strdup (summary->subject != NULL ? summary->subject : "");
  reply->message_id = g_strdup (summary->message_id);
  reply->in_reply_to = g_strdup (summary->in_reply_to);
  for (guint i = 0; i < summary->references->len; i++)
    g_strv_builder_add (references, g_ptr_array_index (summary->references, i));
  reply->references = g_strv_builder_end (references);
  reply->body = g_strdup (render->body_kind == CACHET_MESSAGE_BODY_TEXT ? render->body : "");
  collect_forwarded_attachments (reply, message, render);

  return g_steal_pointer (&reply);
}
