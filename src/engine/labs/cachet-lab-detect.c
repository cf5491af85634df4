/* cachet-lab-detect.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-lab-detect.h"
#include "cachet-lab-parser.h"
#include "cachet-labs-private.h"
#include "cachet-mime-text-private.h"
#include "cachet-mime.h"

/* Which parts of a received message are lab results: HPRIM in the body
 * (Apicrypt, once decrypted) or attached under any name, HL7, CDA alone or
 * in IHE_XDM.ZIP, and the PDFs that come with them. The bytes decide, not
 * the names or MIME types senders give. */

#define BODY_FILE_NAME "message.txt"

G_DEFINE_BOXED_TYPE (CachetLabCandidate, cachet_lab_candidate,
                     cachet_lab_candidate_copy, cachet_lab_candidate_free)

CachetLabCandidate *
cachet_lab_candidate_copy (const CachetLabCandidate *candidate)
{
  CachetLabCandidate *copy = g_new0 (CachetLabCandidate, 1);

  copy->file_name = g_strdup (candidate->file_name);
  copy->bytes = g_bytes_ref (candidate->bytes);
  copy->format = candidate->format;
  copy->part_index = candidate->part_index;
  return copy;
}

void
cachet_lab_candidate_free (CachetLabCandidate *candidate)
{
  g_free (candidate->file_name);
  g_bytes_unref (candidate->bytes);
  g_free (candidate);
}

typedef struct
{
  GPtrArray *candidates;
  guint      index;
} Search;

static CachetMimeWalkAction
inspect_part (GMimeObject *part,
              GMimeObject *parent,
              guint        index,
              guint        depth,
              gpointer     user_data)
{
  Search *search = user_data;
  g_autoptr(GByteArray) content = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CachetLabCandidate *candidate;
  const char *file_name;
  CachetLabFormat format;
  gboolean truncated;
  guint part_index = search->index++;

  if (!GMIME_IS_PART (part))
    return CACHET_MIME_WALK_CONTINUE;

  /* A part beyond the parsers' bound cannot be read; it stays in the
   * message, which nothing deletes. */
  content = _cachet_mime_text_read_decoded_content (GMIME_PART (part), CACHET_LABS_MAX_FILE_SIZE, &truncated);
  if (truncated || content->len == 0)
    return CACHET_MIME_WALK_CONTINUE;
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&content));
  file_name = g_mime_part_get_filename (GMIME_PART (part));
  format = cachet_lab_detect_format (bytes, file_name);
  if (format == CACHET_LAB_FORMAT_UNKNOWN)
    return CACHET_MIME_WALK_CONTINUE;

  candidate = g_new0 (CachetLabCandidate, 1);
  candidate->file_name = g_strdup (file_name != NULL ? file_name : BODY_FILE_NAME);
  candidate->bytes = g_steal_pointer (&bytes);
  candidate->format = format;
  candidate->part_index = part_index;
  g_ptr_array_add (search->candidates, candidate);
  return CACHET_MIME_WALK_CONTINUE;
}

/**
 * cachet_lab_find_in_message:
 *
 * Looks at every part of @message, within the bounds of cachet_mime_walk().
 *
 * Returns: (transfer full) (element-type CachetLabCandidate): the parts
 *   that hold lab results or their PDFs, in message order; empty when there
 *   are none
 */
GPtrArray *
cachet_lab_find_in_message (GMimeMessage *message)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_lab_candidate_free);
  Search search = { candidates, 0 };
  GMimeObject *root;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  if ((root = g_mime_message_get_mime_part (message)) != NULL)
    cachet_mime_walk (root, inspect_part, &search);
  return g_steal_pointer (&candidates);
}
