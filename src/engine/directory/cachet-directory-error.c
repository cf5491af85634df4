/* cachet-directory-error.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-directory-error.h"

G_DEFINE_QUARK (cachet-directory-error-quark, cachet_directory_error)
