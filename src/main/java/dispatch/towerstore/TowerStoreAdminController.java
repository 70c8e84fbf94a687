package dispatch.towerstore;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin endpoint to import TowerStore now (admin token required). */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@RequestMapping("/api/v1/admin/towerstore")
@Tag(name = "admin: towerstore", description = "Reference data import")
@ConditionalOnBooleanProperty(name = "dispatch.towerstore.enabled", matchIfMissing = true)
class TowerStoreAdminController {

    private final TowerStoreImport importer;

    TowerStoreAdminController(TowerStoreImport importer) {
        this.importer = importer;
    }

    @PostMapping("/import")
    @Operation(summary = "Import the three reports now; per report the counts, or why it failed (data then unchanged)")
    List<TowerStoreImport.Result> importNow() {
        return importer.importAll();
    }
}
