/* cachet-account-list.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-account.h"

G_BEGIN_DECLS

#define CACHET_TYPE_ACCOUNT_LIST (cachet_account_list_get_type ())

G_DECLARE_FINAL_TYPE (CachetAccountList, cachet_account_list, CACHET, ACCOUNT_LIST, GObject)

CachetAccountList *cachet_account_list_new          (const char         *path);
CachetAccountList *cachet_account_list_new_default  (void);
gboolean           cachet_account_list_load         (CachetAccountList  *self,
                                                     GError            **error);
gboolean           cachet_account_list_add          (CachetAccountList  *self,
                                                     CachetAccount      *account,
                                                     GError            **error);
gboolean           cachet_account_list_save_changes (CachetAccountList  *self,
                                                     GError            **error);
gboolean           cachet_account_list_remove       (CachetAccountList  *self,
                                                     CachetAccount      *account,
                                                     GError            **error);
CachetAccount     *cachet_account_list_find_by_name (CachetAccountList  *self,
                                                     const char         *name,
                                                     GError            **error);
CachetAccount     *cachet_account_list_lookup       (CachetAccountList  *self,
                                                     const char         *id);
gboolean           cachet_account_list_has_id       (CachetAccountList  *self,
                                                     const char         *id);

G_END_DECLS
