/* store-test-utils.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-store.h"

G_BEGIN_DECLS

CachetStore *store_test_open       (const char  *account);
void         store_test_add_folder (CachetStore *store,
                                    const char  *name,
                                    const char  *special_use,
                                    guint32      uidvalidity);

G_END_DECLS
