/* fuzz-imap-parser.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds the input to two parsers with small limits, one whole and one in
 * chunks whose sizes come from the input, and aborts if they disagree: the
 * chunking must never change the result. Every accessor is called on every
 * response, so that they are fuzzed too. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cachet-imap-error.h"
#include "cachet-imap-parser.h"
#include "cachet-imap-sequence-set.h"
#include "cachet-imap-utf7.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static const char *
or_dash (const char *text)
{
  return text != NULL ? text : "-";
}

static void
dump_value (GString               *out,
            const CachetImapValue *value)
{
  const char *text;
  gsize length = 0;
  guint64 number = 0;
  g_autoptr(GBytes) bytes = cachet_imap_value_dup_bytes (value);

  g_string_append_printf (out, "%d:", cachet_imap_value_get_value_type (value));
  text = cachet_imap_value_get_string (value, &length);
  if (text != NULL)
    {
      g_string_append_len (out, text, (gssize) length);
      if (strlen (text) != length)
        abort ();
    }
  if (bytes != NULL)
    g_string_append_printf (out, "[%" G_GSIZE_FORMAT "]", g_bytes_get_size (bytes));
  if (cachet_imap_value_get_number (value, &number))
    g_string_append_printf (out, "#%" G_GUINT64_FORMAT, number);
  if (cachet_imap_value_get_atom (value) != NULL || cachet_imap_value_is_nil (value))
    g_string_append_c (out, 'a');
  if (cachet_imap_value_get_section_key (value) != NULL)
    g_string_append (out, cachet_imap_value_get_section_key (value));
  if (cachet_imap_value_get_section_origin (value, &number))
    g_string_append_printf (out, "<%" G_GUINT64_FORMAT ">", number);

  /* The depth limit keeps this recursion short. */
  g_string_append_c (out, '(');
  for (guint i = 0; i < cachet_imap_value_get_n_children (value); i++)
    dump_value (out, cachet_imap_value_get_child (value, i));
  g_string_append_c (out, ')');
}

static void
dump_strv (GString *out,
           char   **strv)
{
  g_autofree char *joined = NULL;

  if (strv == NULL)
    return;
  joined = g_strjoinv (",", strv);
  g_string_append (out, joined);
  g_strfreev (strv);
}

static void
dump_ranges (GString *out,
             GArray  *ranges)
{
  if (ranges == NULL)
    return;
  for (guint i = 0; i < ranges->len; i++)
    {
      CachetImapRange *range = &g_array_index (ranges, CachetImapRange, i);

      if (range->first > range->last)
        abort ();
      g_string_append_printf (out, "%u:%u,", range->first, range->last);
    }
  g_array_unref (ranges);
}

static void
dump_response (GString            *out,
               CachetImapResponse *response)
{
  const char *mailbox = cachet_imap_response_get_mailbox (response);
  const CachetImapValue *data = cachet_imap_response_get_data (response);
  const CachetImapValue *args = cachet_imap_response_get_code_arguments (response);
  GArray *results;
  guint64 number = 0;
  gboolean earlier = FALSE;

  g_string_append_printf (out, "%d %d %d %s %s %s %s %s|",
                          cachet_imap_response_get_response_type (response),
                          cachet_imap_response_get_status (response),
                          cachet_imap_response_get_code (response),
                          or_dash (cachet_imap_response_get_tag (response)),
                          or_dash (cachet_imap_response_get_name (response)),
                          or_dash (cachet_imap_response_get_code_name (response)),
                          or_dash (cachet_imap_response_get_code_text (response)),
                          or_dash (cachet_imap_response_get_text (response)));
  if (cachet_imap_response_get_text (response) != NULL &&
      !g_utf8_validate (cachet_imap_response_get_text (response), -1, NULL))
    abort ();
  if (cachet_imap_response_get_number (response, &number))
    g_string_append_printf (out, "#%" G_GUINT64_FORMAT, number);
  if (cachet_imap_response_get_code_number (response, &number))
    g_string_append_printf (out, "c%" G_GUINT64_FORMAT, number);
  if (data != NULL)
    dump_value (out, data);
  if (args != NULL)
    dump_value (out, args);

  dump_strv (out, cachet_imap_response_dup_capabilities (response));
  dump_strv (out, cachet_imap_response_dup_flags (response));
  dump_strv (out, cachet_imap_response_dup_mailbox_attributes (response));
  g_string_append_printf (out, "d%d", cachet_imap_response_get_mailbox_delimiter (response));
  if (mailbox != NULL)
    {
      g_autofree char *decoded = cachet_imap_utf7_decode (mailbox, NULL);

      g_string_append_printf (out, "m%s>%s", mailbox, or_dash (decoded));
    }
  for (guint i = 0; i < 4; i++)
    dump_ranges (out, cachet_imap_response_dup_code_uid_set (response, i));
  dump_ranges (out, cachet_imap_response_dup_vanished (response, &earlier));
  results = cachet_imap_response_dup_search_results (response);
  if (results != NULL)
    {
      g_string_append_printf (out, "s%u", results->len);
      g_array_unref (results);
    }
  if (cachet_imap_response_get_fetch_number (response, "UID", &number))
    g_string_append_printf (out, "u%" G_GUINT64_FORMAT, number);
  if (cachet_imap_response_get_fetch_attribute (response, "BODY[]") != NULL)
    g_string_append (out, "body");
  if (cachet_imap_response_get_status_item (response, "MESSAGES", &number))
    g_string_append_printf (out, "n%" G_GUINT64_FORMAT, number);
  g_string_append_c (out, '\n');
}

static char *
parse (const guint8 *data,
       size_t        size,
       gboolean      chunked)
{
  CachetImapParserLimits limits = { 4096, 4096, 16, 512 };
  g_autoptr(CachetImapParser) parser = cachet_imap_parser_new (&limits);
  g_autoptr(GString) out = g_string_new (NULL);
  size_t pos = 0;
  guint step = 0;

  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      CachetImapResponse *response;
      size_t chunk = size - pos;
      gboolean ok;

      /* Chunk sizes from 1 to 16 bytes, picked by the data itself. */
      if (chunked)
        {
          size_t pick = (size_t) (data[step++ % size] & 0x0f) + 1;

          chunk = MIN (chunk, pick);
        }

      ok = cachet_imap_parser_feed (parser, data + pos, chunk, &error);
      while ((response = cachet_imap_parser_next_response (parser)) != NULL)
        {
          dump_response (out, response);
          cachet_imap_response_unref (response);
        }
      if (!ok)
        {
          if (error == NULL || error->domain != CACHET_IMAP_ERROR)
            abort ();
          g_string_append_printf (out, "error %d %s\n", error->code, error->message);
          break;
        }
      pos += chunk;
    }

  g_string_append_printf (out, "pending %d\n", cachet_imap_parser_has_pending_data (parser));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *whole = parse (data, size, FALSE);
  g_autofree char *chunked = parse (data, size, TRUE);

  if (strcmp (whole, chunked) != 0)
    abort ();
  return 0;
}
