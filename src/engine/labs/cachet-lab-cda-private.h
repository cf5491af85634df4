/* cachet-lab-cda-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

/* Safe XML reading, shared by the CDA and XDM metadata readers. */
xmlDoc *cachet_labs_read_xml     (GBytes          *bytes,
                                  GError         **error);
char   *cachet_labs_xpath_string (xmlXPathContext *context,
                                  xmlNode         *node,
                                  const char      *expression);

G_END_DECLS
