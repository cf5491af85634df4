/* cachet-store-types.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-store-private.h"
#include "cachet-store-types.h"

G_DEFINE_QUARK (cachet-store-error-quark, cachet_store_error)

/**
 * cachet_store_keyword_is_valid:
 * @keyword: a keyword, as the server sent it
 *
 * Keywords are IMAP atoms (RFC 3501 flag-keyword): printable ASCII without
 * space, parentheses, braces, quotes, backslash, '%', '*' or ']', and not a
 * system flag. The store keeps them space-separated, so this check is what
 * keeps that list unambiguous.
 *
 * Returns: %TRUE if @keyword can be stored.
 */
gboolean
cachet_store_keyword_is_valid (const char *keyword)
{
  gsize length;

  if (keyword == NULL)
    return FALSE;

  length = strlen (keyword);
  if (length == 0 || length > CACHET_STORE_MAX_KEYWORD_LENGTH)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = keyword[i];

      if (c <= ' ' || c >= 0x7f || strchr ("(){\"\\%*]", c) != NULL)
        return FALSE;
    }

  return TRUE;
}

/**
 * _cachet_store_hide_path:
 * @error: (inout) (nullable): a location holding a #GError, or %NULL
 * @what: what failed, e.g. "Cannot read the message file"
 *
 * GLib's file errors quote the path, and a folder name (part of every path
 * in the store) may be a patient's name: errors travel to logs and dialogs,
 * so the message is replaced by @what. The domain and code stay.
 */
void
_cachet_store_hide_path (GError     **error,
                         const char  *what)
{
  if (error == NULL || *error == NULL)
    return;
  g_free ((*error)->message);
  (*error)->message = g_strdup (what);
}
