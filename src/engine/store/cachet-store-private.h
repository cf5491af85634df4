/* cachet-store-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void _cachet_store_hide_path (GError     **error,
                              const char  *what);

G_END_DECLS
