package io.roomgate.bench.tools;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.StringJoiner;

/**
 * Runs one SQL statement against a database and prints what it returns, one row a line, columns
 * separated by tabs, a header line first. For the bench scripts' own questions to PostgreSQL (its
 * statement statistics), never against the app's data while it runs a measurement.
 * <pre>
 * --url jdbc:postgresql://localhost:P/postgres --sql "statement"
 * </pre>
 */
public final class Sql {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 0);
        String url = a.str("url", null);
        String sql = a.str("sql", null);
        if (url == null || sql == null) {
            throw new IllegalArgumentException("--url and --sql are required");
        }
        String user = url.startsWith("jdbc:postgresql") ? "postgres" : "sa";
        try (Connection c = DriverManager.getConnection(url, user, user.equals("sa") ? "" : "postgres");
                Statement s = c.createStatement()) {
            if (s.execute(sql)) {
                try (ResultSet rs = s.getResultSet()) {
                    print(rs);
                }
            }
        }
    }

    private static void print(ResultSet rs) throws Exception {
        ResultSetMetaData md = rs.getMetaData();
        StringJoiner header = new StringJoiner("\t");
        for (int i = 1; i <= md.getColumnCount(); i++) {
            header.add(md.getColumnLabel(i));
        }
        System.out.println(header);
        while (rs.next()) {
            StringJoiner row = new StringJoiner("\t");
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String v = rs.getString(i);
                row.add(v == null ? "" : v.replaceAll("\\s+", " "));
            }
            System.out.println(row);
        }
    }
}
