/* fuzz-mime-summary.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds arbitrary bytes to the summary extractor, the first code to read a
 * message the server sends. Besides the sanitizers' findings, it checks what
 * the index relies on: whatever the input, every string is bounded UTF-8. */

#include "config.h"

#include <string.h>

#include "cachet-message-summary.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check_text (const char *text,
            gsize       max_bytes)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (strlen (text), <=, max_bytes);
}

static void
check_addresses (GPtrArray *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      CachetMessageAddress *address = g_ptr_array_index (addresses, i);

      check_text (address->name, 256);
      check_text (address->address, 320);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) raw = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autofree char *to = NULL;

  summary = cachet_message_summary_new_from_bytes (raw, &error);
  if (summary == NULL)
    {
      g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
      return 0;
    }

  check_text (summary->message_id, 998);
  check_text (summary->in_reply_to, 998);
  check_text (summary->subject, 2048);
  check_text (summary->body_text, CACHET_MESSAGE_SUMMARY_MAX_BODY);
  if (summary->from != NULL)
    {
      check_text (summary->from->name, 256);
      check_text (summary->from->address, 320);
    }
  check_addresses (summary->to);
  check_addresses (summary->cc);
  for (guint i = 0; i < summary->mss_headers->len; i++)
    {
      CachetMessageHeader *header = g_ptr_array_index (summary->mss_headers, i);

      check_text (header->name, 64);
      check_text (header->value, 1024);
    }
  to = cachet_message_address_list_to_string (summary->to);
  check_text (to, G_MAXSIZE);

  return 0;
}
