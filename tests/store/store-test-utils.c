/* store-test-utils.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "store-test-utils.h"

/* The store of @account, under the data directory that cachet_test_init()
 * made for this program: each test uses an account of its own. */
CachetStore *
store_test_open (const char *account)
{
  g_autoptr(GError) error = NULL;
  CachetStore *store = cachet_store_new (NULL, account, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* A subscribed folder, as a sync records it from LIST and SELECT. */
void
store_test_add_folder (CachetStore *store,
                       const char  *name,
                       const char  *special_use,
                       guint32      uidvalidity)
{
  CachetFolderInfo info = { .name = (char *) name, .delimiter = (char *) "/",
                            .special_use = (char *) special_use, .subscribed = TRUE,
                            .uidvalidity = uidvalidity, .uidnext = 1 };
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_store_upsert_folder (store, &info, &error));
  g_assert_no_error (error);
}
