/* cachet-sync-helpers.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-sync-helpers.h"

static const struct
{
  const char         *name;
  CachetMessageFlags  flag;
} system_flags[] = {
  { "\\Seen", CACHET_MESSAGE_FLAG_SEEN },
  { "\\Answered", CACHET_MESSAGE_FLAG_ANSWERED },
  { "\\Flagged", CACHET_MESSAGE_FLAG_FLAGGED },
  { "\\Deleted", CACHET_MESSAGE_FLAG_DELETED },
  { "\\Draft", CACHET_MESSAGE_FLAG_DRAFT },
};

/**
 * cachet_sync_result_cb:
 * @user_data: a `GAsyncResult **`, filled with a reference to @result
 *
 * The callback of an asynchronous call that cachet_sync_wait() awaits.
 */
void
cachet_sync_result_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/**
 * cachet_sync_wait:
 * @context: the run's main context, thread-default in the calling thread
 * @slot: the slot given to cachet_sync_result_cb()
 *
 * Runs @context until the call has completed.
 *
 * Returns: (transfer none): the result, also in @slot
 */
GAsyncResult *
cachet_sync_wait (GMainContext  *context,
                  GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (context, TRUE);
  return *slot;
}

/**
 * cachet_sync_flags_from_imap:
 * @imap_flags: (array zero-terminated=1) (nullable): flags as the server
 *   lists them
 * @keywords: (element-type utf8) (nullable): where to add the keywords
 *
 * Returns: the system flags among @imap_flags
 */
CachetMessageFlags
cachet_sync_flags_from_imap (const char * const *imap_flags,
                             GPtrArray          *keywords)
{
  CachetMessageFlags flags = 0;

  for (guint i = 0; imap_flags != NULL && imap_flags[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint f = 0; f < G_N_ELEMENTS (system_flags) && !known; f++)
        {
          if (g_ascii_strcasecmp (imap_flags[i], system_flags[f].name) == 0)
            {
              flags |= system_flags[f].flag;
              known = TRUE;
            }
        }
      /* Keywords (the practice's own tags, such as "lab imported") are kept;
       * other system flags such as \Recent are not stored. */
      if (!known && keywords != NULL && imap_flags[i][0] != '\\' && cachet_store_keyword_is_valid (imap_flags[i]))
        g_ptr_array_add (keywords, g_strdup (imap_flags[i]));
    }
  return flags;
}

/**
 * cachet_sync_flags_to_imap:
 * @flags: system flags
 * @keywords: (array zero-terminated=1) (nullable): keywords
 *
 * Returns: (transfer full): @flags and @keywords as IMAP flags, for STORE
 *   or APPEND
 */
char **
cachet_sync_flags_to_imap (CachetMessageFlags  flags,
                           const char * const *keywords)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint f = 0; f < G_N_ELEMENTS (system_flags); f++)
    {
      if ((flags & system_flags[f].flag) != 0)
        g_strv_builder_add (names, system_flags[f].name);
    }
  if (keywords != NULL)
    g_strv_builder_addv (names, (const char **) keywords);
  return g_strv_builder_end (names);
}
