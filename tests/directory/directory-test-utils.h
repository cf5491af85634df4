/* directory-test-utils.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *directory_test_generate (const char *path,
                                     ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
